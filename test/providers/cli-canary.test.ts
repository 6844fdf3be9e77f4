import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { canaryKeys, findCanaries, findCanariesInFiles } from '../support/fake-secrets.ts';

const run = promisify(execFile);
let server: FakeLlmServer;
const servers: FakeLlmServer[] = [];
const directory = mkdtempSync(join(tmpdir(), 'tierflow-cli-canary-'));
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await Promise.all([server, ...servers].map((each) => each.close()));
  rmSync(directory, { recursive: true, force: true });
});

async function tierflow(args: readonly string[], env: Record<string, string>) {
  const cleanEnv = { PATH: process.env.PATH ?? '', HOME: directory, CI: '1', ...env };
  return run(process.execPath, ['src/cli/main.ts', ...args], {
    env: cleanEnv,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout: string; stderr: string; code: number }) => error);
}

describe('the tierflow command', () => {
  it('hides provider keys from shell tasks, so no task output or event can carry one', async () => {
    const keys = canaryKeys(['anthropic', 'openai']);
    const events = join(directory, 'shell.jsonl');
    const { stdout, stderr } = await tierflow(
      [
        'run',
        'test/fixtures/workflows/print-keys.yaml',
        '--state',
        join(directory, 'shell.db'),
        '--events',
        events,
        '--json',
      ],
      { ANTHROPIC_API_KEY: keys.anthropic, OPENAI_API_KEY: keys.openai, ANTHROPIC_BASE_URL: server.baseURL },
    );
    const result = JSON.parse(stdout) as { status: string; tasks: { output?: unknown }[] };
    expect(result.status).toBe('succeeded');
    expect(result.tasks[0]?.output).toBe('anthropic=[] openai=[]');
    expect(
      findCanaries({ stdout, stderr, events: readFileSync(events, 'utf8') }, Object.values(keys)),
    ).toEqual([]);
  });

  it('never prints or stores a key, whether calls succeed or fail, at debug log level', async () => {
    const keys = canaryKeys(['anthropic']);
    const replies = {
      unauthorised: { kind: 'error', status: 401, message: 'invalid x-api-key', echoKey: true },
      answered: { kind: 'text', text: '1. Add the flag', usage: { input: 50, output: 9 } },
    } as const;
    const unauthorisedServer = await startFakeLlmServer();
    servers.push(unauthorisedServer);
    unauthorisedServer.reply(replies.unauthorised);
    server.reply(replies.answered);
    const scenarios = { unauthorised: unauthorisedServer, answered: server };
    // Both runs at once, each against its own server: they spend most of their time waiting.
    const runs = await Promise.all(
      Object.entries(scenarios).map(async ([name, target]) => {
        const state = join(directory, `${name}.db`);
        const events = join(directory, `${name}.jsonl`);
        const { stdout, stderr } = await tierflow(
          [
            'run',
            'workflows/scout-plan-build.anthropic.yaml',
            '--agents',
            'workflows/agents/example-agents.ts',
            '--input',
            'goal=add a flag',
            '--state',
            state,
            '--events',
            events,
            '--log-level',
            'debug',
            '--json',
          ],
          { ANTHROPIC_API_KEY: keys.anthropic, ANTHROPIC_BASE_URL: target.baseURL },
        );
        return {
          name,
          stdout,
          stderr,
          files: [state, events, ...(existsSync(`${state}-wal`) ? [`${state}-wal`] : [])],
        };
      }),
    );
    const doctor = await tierflow(['doctor', '--timeout', '2000'], {
      ANTHROPIC_API_KEY: keys.anthropic,
      ANTHROPIC_BASE_URL: server.baseURL,
    });
    const outputs: Record<string, string> = {
      'doctor stdout': doctor.stdout,
      'doctor stderr': doctor.stderr,
    };
    for (const { name, stdout, stderr } of runs)
      Object.assign(outputs, { [`${name} stdout`]: stdout, [`${name} stderr`]: stderr });
    const files = runs.flatMap((entry) => entry.files);

    // The runs really called the servers and logged at debug level, so the search is not vacuous.
    expect(outputs['unauthorised stdout']).toContain('PROVIDER_AUTH');
    expect(outputs['unauthorised stdout']).toContain('[REDACTED]');
    expect(readFileSync(join(directory, 'unauthorised.jsonl'), 'utf8')).toContain('AGENT_FAILED');
    expect(outputs['answered stderr']).toContain('"msg":"provider request"');
    expect(JSON.parse(outputs['answered stdout'] ?? '{}').status).toBe('succeeded');
    expect(doctor.stdout).toContain('set (ANTHROPIC_API_KEY)');

    expect(findCanaries(outputs, [keys.anthropic])).toEqual([]);
    expect(findCanariesInFiles(files, [keys.anthropic])).toEqual([]);
  });
});
