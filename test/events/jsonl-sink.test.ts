import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/events/bus.ts';
import type { EventPayload } from '../../src/events/events.ts';
import { createJsonlSink } from '../../src/events/jsonl-sink.ts';

describe('JSONL sink', () => {
  it('writes every event as one JSON line {type, at, ...payload}', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tierflow-sink-')), 'nested', 'events.jsonl');
    const bus = createEventBus();
    const sink = createJsonlSink(bus, file, { now: () => 1_700_000_000_000 });
    bus.emit('TASK_READY', { runId: 'r1', taskId: 'scout', phase: 'scout', priority: 'high' });
    bus.emit('TASK_SKIPPED', {
      runId: 'r1',
      taskId: 'build',
      reason: 'plan failed',
      cause: 'upstream_failed',
    });
    sink.close();
    bus.emit('TASK_READY', { runId: 'r1', taskId: 'after-close', priority: 'low' });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toMatchInlineSnapshot(`
      [
        {
          "at": 1700000000000,
          "phase": "scout",
          "priority": "high",
          "runId": "r1",
          "taskId": "scout",
          "type": "TASK_READY",
        },
        {
          "at": 1700000000000,
          "cause": "upstream_failed",
          "reason": "plan failed",
          "runId": "r1",
          "taskId": "build",
          "type": "TASK_SKIPPED",
        },
      ]
    `);
    expect(bus.totalListenerCount()).toBe(0);
  });

  it('refuses a malformed payload and reports it as SUBSCRIBER_FAILED instead of writing it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tierflow-sink-')), 'events.jsonl');
    const bus = createEventBus();
    const failures: string[] = [];
    bus.on('SUBSCRIBER_FAILED', (event) => {
      failures.push(event.subscriber);
    });
    const sink = createJsonlSink(bus, file);
    const bad = { runId: 'r1', taskId: 't', priority: 'urgent' } as unknown as EventPayload<'TASK_READY'>;
    bus.emit('TASK_READY', bad);
    sink.close();
    expect(failures).toEqual(['jsonl-sink']);
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('SUBSCRIBER_FAILED');
    expect(written).not.toContain('urgent');
  });

  it('applies the transform to each line, e.g. to scrub secrets', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tierflow-sink-')), 'events.jsonl');
    const bus = createEventBus();
    const sink = createJsonlSink(bus, file, {
      transform: (line) => line.replaceAll('sk-secret', '[REDACTED]'),
    });
    bus.emit('TASK_CANCELLED', { runId: 'r1', taskId: 't', reason: 'key sk-secret rejected' });
    sink.close();
    expect(readFileSync(file, 'utf8')).toContain('key [REDACTED] rejected');
  });
});
