import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/cli/commands/doctor.ts';
import { ConfigError } from '../../src/errors.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';

let server: FakeLlmServer;
let closedURL: string;
const directory = mkdtempSync(join(tmpdir(), 'tierflow-doctor-'));
beforeAll(async () => {
  server = await startFakeLlmServer();
  const closed = await startFakeLlmServer();
  closedURL = closed.baseURL;
  await closed.close();
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

async function doctor(env: Record<string, string>, configDir = 'config') {
  const chunks: string[] = [];
  const code = await runDoctor({
    env,
    configDir,
    timeoutMs: 2000,
    write: (text) => void chunks.push(text),
    now: () => 0,
  });
  return {
    code,
    output: chunks
      .join('')
      .replaceAll(server.baseURL, 'http://FAKE/v1')
      .replaceAll(closedURL, 'http://CLOSED/v1'),
  };
}

describe('tierflow doctor', () => {
  it('says the simulation answers when nothing is configured', async () => {
    const { code, output } = await doctor({});
    expect(code).toBe(0);
    expect(output).toMatchInlineSnapshot(`
      "providers: simulation (no provider key or local base URL set; every answer is simulated)

      PROVIDER    KIND               KEY                                                       BASE URL                                          STATUS
      anthropic   anthropic          missing (ANTHROPIC_API_KEY)                               https://api.anthropic.com/v1                      not configured: set ANTHROPIC_API_KEY
      openai      openai             missing (OPENAI_API_KEY)                                  https://api.openai.com/v1                         not configured: set OPENAI_API_KEY
      google      google             missing (GOOGLE_GENERATIVE_AI_API_KEY or GEMINI_API_KEY)  https://generativelanguage.googleapis.com/v1beta  not configured: set GOOGLE_GENERATIVE_AI_API_KEY or GEMINI_API_KEY
      openrouter  openai-compatible  missing (OPENROUTER_API_KEY)                              https://openrouter.ai/api/v1                      not configured: set OPENROUTER_API_KEY
      ollama      openai-compatible  not needed                                                -                                                 not configured: set OLLAMA_BASE_URL
      vllm        openai-compatible  not needed                                                -                                                 not configured: set VLLM_BASE_URL
      lmstudio    openai-compatible  not needed                                                -                                                 not configured: set LMSTUDIO_BASE_URL
      "
    `);
  });

  it('shows which providers have keys without printing them, and checks configured base URLs', async () => {
    const { code, output } = await doctor({
      OPENAI_API_KEY: 'sk-doctor-canary-0123456789',
      OPENAI_BASE_URL: closedURL,
      OLLAMA_BASE_URL: server.baseURL,
    });
    expect(code).toBe(1);
    expect(output).not.toContain('sk-doctor-canary-0123456789');
    expect(output.replace(/\(ECONNREFUSED\)|\(.*fetch failed.*\)/, '(refused)')).toMatchInlineSnapshot(`
      "providers: openai, ollama (only their models are used)

      PROVIDER    KIND               KEY                                                       BASE URL                                          STATUS
      anthropic   anthropic          missing (ANTHROPIC_API_KEY)                               https://api.anthropic.com/v1                      not configured: set ANTHROPIC_API_KEY
      openai      openai             set (OPENAI_API_KEY)                                      http://CLOSED/v1                         UNREACHABLE: connection failed (refused)
      google      google             missing (GOOGLE_GENERATIVE_AI_API_KEY or GEMINI_API_KEY)  https://generativelanguage.googleapis.com/v1beta  not configured: set GOOGLE_GENERATIVE_AI_API_KEY or GEMINI_API_KEY
      openrouter  openai-compatible  missing (OPENROUTER_API_KEY)                              https://openrouter.ai/api/v1                      not configured: set OPENROUTER_API_KEY
      ollama      openai-compatible  not needed                                                http://FAKE/v1                         reachable (HTTP 404, 0 ms)
      vllm        openai-compatible  not needed                                                -                                                 not configured: set VLLM_BASE_URL
      lmstudio    openai-compatible  not needed                                                -                                                 not configured: set LMSTUDIO_BASE_URL

      1 configured provider is unreachable.
      "
    `);
    const probe = server.requests.at(-1);
    expect(probe?.path).toBe('/v1/models');
    expect(probe?.headers.authorization).toBeUndefined();
  });

  it('reports an invalid providers.yaml with positions', async () => {
    const dir = join(directory, 'bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'providers.yaml'), 'timeoutMs: soon\n');
    const error = await doctor({}, dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(
      (error as ConfigError).diagnostics.map((diagnostic) => [
        diagnostic.line,
        diagnostic.column,
        diagnostic.path,
      ]),
    ).toEqual([[1, 12, 'timeoutMs']]);
  });
});
