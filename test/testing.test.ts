import { describe, expect, it } from 'vitest';
import { createEventBus } from '../src/events/bus.ts';
import { createManualClock, createScriptedProvider, recordEvents } from '../src/testing.ts';

describe('public test helpers', () => {
  it('recordEvents keeps every event in order and stops on request', () => {
    const bus = createEventBus();
    const recording = recordEvents(bus);
    bus.emit('TASK_READY', { runId: 'r', taskId: 'a', priority: 'normal' });
    bus.emit('TASK_CANCELLED', { runId: 'r', taskId: 'a', reason: 'stop' });
    recording.stop();
    bus.emit('TASK_READY', { runId: 'r', taskId: 'b', priority: 'normal' });
    expect(recording.types()).toEqual(['TASK_READY', 'TASK_CANCELLED']);
    expect(recording.ofType('TASK_CANCELLED')).toEqual([{ runId: 'r', taskId: 'a', reason: 'stop' }]);
  });

  it('createManualClock wakes sleepers in deadline order when advanced past them', async () => {
    const clock = createManualClock(100);
    const woke: string[] = [];
    void clock.sleep(50).then(() => woke.push('late'));
    void clock.sleep(10).then(() => woke.push('early'));
    await clock.advance(20);
    expect(woke).toEqual(['early']);
    await clock.advance(30);
    expect(woke).toEqual(['early', 'late']);
    expect(clock.now()).toBe(150);
  });

  it('createManualClock rejects a sleep whose signal aborts', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(sleeping).rejects.toThrow('cancelled');
  });

  it('createScriptedProvider answers in order, repeats the last answer and throws scripted errors', async () => {
    const provider = createScriptedProvider({
      small: [
        { error: { code: 'PROVIDER_RATE_LIMITED', message: 'slow down' } },
        { text: 'ok', usage: { inputTokens: 3, outputTokens: 1 } },
      ],
    });
    const request = {
      model: { id: 'small', provider: 'test', tier: 1 as const },
      prompt: 'hi',
      signal: new AbortController().signal,
    };
    await expect(provider.generate(request)).rejects.toMatchObject({
      code: 'PROVIDER_RATE_LIMITED',
      retryable: true,
    });
    await expect(provider.generate(request)).resolves.toMatchObject({
      text: 'ok',
      usage: { inputTokens: 3, outputTokens: 1 },
    });
    await expect(provider.generate(request)).resolves.toMatchObject({ text: 'ok' });
    await expect(
      provider.generate({ ...request, model: { ...request.model, id: 'other' } }),
    ).rejects.toMatchObject({
      code: 'PROVIDER_BAD_REQUEST',
      message: 'No scripted answer for "other".',
    });
    expect(provider.requests).toHaveLength(4);
  });
});
