import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonlSink } from '../../src/events/jsonl-sink.ts';
import { createLogger } from '../../src/log.ts';
import { createOrchestrator } from '../../src/orchestrator.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { canaryKeys, findCanariesInFiles } from '../support/fake-secrets.ts';

let server: FakeLlmServer;
const directory = mkdtempSync(join(tmpdir(), 'tierflow-providers-e2e-'));
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

const plan = {
  kind: 'text',
  text: '1. Add the flag\n2. Wire it\n3. Test it',
  usage: { input: 120, output: 30 },
} as const;

async function runScoutPlanBuild(name: string, workflow: string, env: Record<string, string>) {
  const files = {
    state: join(directory, `${name}.db`),
    events: join(directory, `${name}.jsonl`),
    log: join(directory, `${name}.log`),
  };
  const orchestrator = await createOrchestrator({
    env,
    statePath: files.state,
    logger: createLogger({ level: 'debug', destination: files.log }),
  });
  const sink = createJsonlSink(orchestrator.bus, files.events, {
    transform: orchestrator.providers.scrubber.scrub,
  });
  try {
    await orchestrator.loadAgents('workflows/agents/example-agents.ts');
    const result = await orchestrator.run(workflow, { input: { goal: 'add a --verbose flag' } });
    return { result, files, mode: orchestrator.providers.mode };
  } finally {
    sink.close();
    await orchestrator.close();
  }
}

describe('Scout-Plan-Build on real providers (a local server in their place)', () => {
  it('runs the Ollama variant on the local models only, nothing simulated', async () => {
    server.requests.length = 0;
    server.reply(plan);
    const { result, mode } = await runScoutPlanBuild('ollama', 'workflows/scout-plan-build.ollama.yaml', {
      OLLAMA_BASE_URL: server.baseURL.replace(/\/v1$/, ''),
    });
    expect(mode).toBe('real');
    expect(result.status).toBe('succeeded');
    const llmTasks = result.tasks.filter((task) => task.model !== null && task.model !== undefined);
    expect(llmTasks.length).toBeGreaterThan(0);
    expect(llmTasks.every((task) => task.provider === 'ollama')).toBe(true);
    expect(server.requests.length).toBeGreaterThanOrEqual(llmTasks.length);
    expect(server.requests.every((request) => request.format === 'openai')).toBe(true);
  });

  it('runs the Anthropic variant through a rate limit, the key reaching no file', async () => {
    const keys = canaryKeys(['anthropic']);
    server.requests.length = 0;
    server.reply(
      { kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '0' }, echoKey: true },
      plan,
    );
    const { result, files } = await runScoutPlanBuild(
      'anthropic',
      'workflows/scout-plan-build.anthropic.yaml',
      {
        ANTHROPIC_API_KEY: keys.anthropic,
        ANTHROPIC_BASE_URL: server.baseURL,
      },
    );
    expect(result.status).toBe('succeeded');
    expect(result.tasks.filter((task) => task.model).every((task) => task.provider === 'anthropic')).toBe(
      true,
    );
    expect(result.cost.totalUsd).toBeGreaterThan(0);
    expect(server.requests.every((request) => request.headers['x-api-key'] === keys.anthropic)).toBe(true);
    expect(findCanariesInFiles(writtenFiles(files), [keys.anthropic])).toEqual([]);
  });

  it('counts in-call retries against the task attempt budget, and scrubs the key from the failure', async () => {
    const keys = canaryKeys(['anthropic']);
    server.requests.length = 0;
    server.reply({ kind: 'error', status: 503, message: 'overloaded', echoKey: true });
    const { result, files } = await runScoutPlanBuild('outage', 'workflows/scout-plan-build.anthropic.yaml', {
      ANTHROPIC_API_KEY: keys.anthropic,
      ANTHROPIC_BASE_URL: server.baseURL,
    });
    const notes = result.tasks.find((task) => task.id === 'scout-notes');
    // retries: 1 allows 2 attempts in all; the provider's in-call retry used the second one.
    expect(notes).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'ATTEMPTS_EXHAUSTED' } });
    expect(notes?.error?.message).toContain('answered 503: overloaded: key "[REDACTED]"');
    expect(JSON.stringify(result)).not.toContain(keys.anthropic);
    expect(findCanariesInFiles(writtenFiles(files), [keys.anthropic])).toEqual([]);
  });
});

function writtenFiles(files: { state: string; events: string; log: string }): string[] {
  const wal = `${files.state}-wal`;
  return [files.state, files.events, files.log, ...(existsSync(wal) ? [wal] : [])];
}
