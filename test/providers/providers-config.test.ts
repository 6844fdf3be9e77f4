import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProvidersConfig } from '../../src/config/providers.ts';
import { ConfigError } from '../../src/errors.ts';

const directory = mkdtempSync(join(tmpdir(), 'tierflow-providers-config-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('loadProvidersConfig', () => {
  it('loads the shipped config/providers.yaml', async () => {
    const config = await loadProvidersConfig('config');
    expect(config).toMatchObject({
      timeoutMs: 120_000,
      retry: { maxAttempts: 2 },
      cooldown: { failureThreshold: 3 },
    });
  });

  it('treats a missing file as no config', async () => {
    expect(await loadProvidersConfig(join(directory, 'absent'))).toBeUndefined();
  });

  it('points at the offending field, e.g. a key written where a variable name belongs', async () => {
    const dir = join(directory, 'bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'providers.yaml'),
      'providers:\n  my-proxy:\n    kind: openai-compatible\n    baseUrl: http://x\n',
    );
    const error = await loadProvidersConfig(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).diagnostics.map(
      (diagnostic) =>
        `${diagnostic.line}:${diagnostic.column} ${diagnostic.code} ${diagnostic.path}: ${diagnostic.message}`,
    );
    expect(lines).toMatchInlineSnapshot(`
      [
        "4:5 CONFIG_UNKNOWN_KEY providers.my-proxy.baseUrl: unknown key "baseUrl"",
      ]
    `);
  });

  it('never quotes an apiKeyEnv that looks like a pasted key', async () => {
    const dir = join(directory, 'pasted');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'providers.yaml'),
      'providers:\n  my-proxy:\n    kind: openai-compatible\n    apiKeyEnv: sk-live-canary-1234\n',
    );
    const error = (await loadProvidersConfig(dir).catch((caught: unknown) => caught)) as ConfigError;
    expect(JSON.stringify(error.diagnostics)).not.toContain('sk-live-canary-1234');
    expect(error.message).not.toContain('sk-live-canary-1234');
    expect(error.diagnostics.map(({ file: _file, ...rest }) => rest)).toMatchInlineSnapshot(`
      [
        {
          "code": "CONFIG_INVALID",
          "column": 5,
          "expected": "an environment variable name such as MY_PROXY_API_KEY",
          "got": "apiKeyEnv",
          "hint": "Put the key in an environment variable and write the variable name here.",
          "line": 4,
          "message": "apiKeyEnv of provider "my-proxy" must name an environment variable; its value is not shown in case it is a key",
          "path": "providers.my-proxy.apiKeyEnv",
        },
      ]
    `);
  });
});
