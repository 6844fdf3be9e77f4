import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { canaryKeys, findCanaries, findCanariesInFiles } from '../support/fake-secrets.ts';

const run = promisify(execFile);
const directory = mkdtempSync(join(tmpdir(), 'tierflow-canary-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('API keys', () => {
  it('appear in no output, log, event or error message, in any form, whatever the calls do', async () => {
    const keys = canaryKeys(['anthropic', 'openai', 'google', 'openrouter']);
    const logFile = join(directory, 'debug.log');
    const eventsFile = join(directory, 'events.jsonl');
    const { stdout, stderr } = await run(
      process.execPath,
      ['test/providers/canary-scenario.ts', logFile, eventsFile],
      {
        env: {
          PATH: process.env.PATH,
          ANTHROPIC_API_KEY: keys.anthropic,
          OPENAI_API_KEY: keys.openai,
          GOOGLE_GENERATIVE_AI_API_KEY: keys.google,
          OPENROUTER_API_KEY: keys.openrouter,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    );

    // The scenario really went through every path, so the search below is not vacuous.
    for (const provider of ['anthropic', 'openai', 'google', 'openrouter']) {
      expect(stdout).toContain(`success ${provider} ok fine`);
      for (const code of [
        'PROVIDER_AUTH',
        'PROVIDER_RATE_LIMITED',
        'PROVIDER_UNAVAILABLE',
        'PROVIDER_BAD_REQUEST',
        'PROVIDER_TIMEOUT',
      ]) {
        expect(stdout).toContain(`${provider} ${code}`);
      }
    }
    expect(stdout).toContain('key "[REDACTED]" refused at');
    expect(stderr).not.toMatch(/unhandled|AI SDK Warning/i);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('"msg":"provider request"');
    expect(log).toContain('"level":20');
    expect(readFileSync(eventsFile, 'utf8')).toContain('"type":"AGENT_FAILED"');

    const canaries = Object.values(keys);
    expect(findCanaries({ stdout, stderr }, canaries)).toEqual([]);
    expect(findCanariesInFiles([logFile, eventsFile], canaries)).toEqual([]);
  });

  it('are found by the scanner when they do leak, in every form', () => {
    const canary = 'canary~~~/with+symbols=&more';
    const leaks = {
      raw: `key ${canary}`,
      encoded: `?key=${encodeURIComponent(canary)}`,
      base64: `Basic ${Buffer.from(canary).toString('base64')}`,
      base64url: Buffer.from(canary).toString('base64url'),
      clean: 'nothing to see',
    };
    expect(findCanaries(leaks, [canary]).map((finding) => `${finding.source}:${finding.form}`)).toEqual([
      'raw:raw',
      'encoded:url-encoded',
      'base64:base64',
      'base64url:base64url',
    ]);
    expect(findCanariesInFiles([join(directory, 'absent.db')], [canary])).toEqual([
      { source: join(directory, 'absent.db'), canary: '', form: 'file missing' },
    ]);
  });
});
