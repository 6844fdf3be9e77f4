import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { createScrubber } from '../../src/providers/scrubber.ts';
import { createScrubbingLogger } from '../../src/providers/scrubbing-logger.ts';

const directory = mkdtempSync(join(tmpdir(), 'tierflow-scrubbing-logger-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('createScrubbingLogger', () => {
  it('removes known keys from objects, messages and child bindings at every level', () => {
    const key = 'sk-logger-canary-987654321';
    const file = join(directory, 'log.jsonl');
    const log = createScrubbingLogger(
      createLogger({ level: 'trace', destination: file }),
      createScrubber([key]),
    );
    log
      .child({ url: `https://x.test/?key=${key}` })
      .debug({ detail: { nested: [key] } }, `message with ${key}`);
    log.error(`plain ${key}`);
    log.info({ encoded: encodeURIComponent(key) });
    const written = readFileSync(file, 'utf8');
    expect(written).not.toContain(key);
    expect(
      written
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).msg),
    ).toEqual(['message with [REDACTED]', 'plain [REDACTED]', undefined]);
    expect(written).toContain('"nested":["[REDACTED]"]');
  });
});
