import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import { createShellAgent, ShellError, shellAgent } from '../../src/agents/shell.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import type { OrchestratorError } from '../../src/errors.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { task, workflow } from '../coordinator/helpers.ts';
import { contextFor } from './context.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tierflow-shell-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the command to fail');
    },
    (error: unknown) => error as OrchestratorError,
  );

describe('shell agent', () => {
  it('never passes hidden variables (provider keys) to the command, even when the process has them', async () => {
    process.env.TIERFLOW_TEST_SECRET_KEY = 'sk-canary-shell';
    try {
      const agent = createShellAgent({ hiddenEnv: ['TIERFLOW_TEST_SECRET_KEY'] });
      const hidden = await agent(contextFor({ command: 'echo "[$TIERFLOW_TEST_SECRET_KEY]"', cwd: dir }));
      expect(hidden.output).toBe('[]');
      const visible = await shellAgent(
        contextFor({ command: 'echo "[$TIERFLOW_TEST_SECRET_KEY]"', cwd: dir }),
      );
      expect(visible.output).toBe('[sk-canary-shell]');
    } finally {
      delete process.env.TIERFLOW_TEST_SECRET_KEY;
    }
  });

  it('runs the command in cwd; output = stdout, trimmed', async () => {
    const result = await shellAgent(contextFor({ command: 'echo hello && pwd', cwd: dir }));
    expect(result.output).toBe(`hello\n${dir}`);
  });

  it('passes values as environment variables that the shell never re-parses', async () => {
    const hostile = '$(touch pwned); rm -rf "$HOME" `touch pwned2`';
    const result = await shellAgent(
      contextFor({
        command: 'printf "%s" "$VALUE"; echo; echo $VALUE',
        cwd: dir,
        env: { VALUE: hostile, N: 3 },
      }),
    );
    expect(result.output).toBe(`${hostile}\n${hostile}`);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(join(dir, 'pwned2'))).toBe(false);
  });

  it('runs a program without a shell when args are given', async () => {
    const result = await shellAgent(
      contextFor({ command: 'printf', args: ['%s|%s', '$(touch pwned)', 'two words'], cwd: dir }),
    );
    expect(result.output).toBe('$(touch pwned)|two words');
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('fails with SHELL_EXIT_NONZERO, the exit code and the last lines of stderr', async () => {
    const error = await failure(
      shellAgent(contextFor({ command: 'echo one >&2; echo two >&2; exit 3', cwd: dir })),
    );
    expect(error).toBeInstanceOf(ShellError);
    expect((error as ShellError).exitCode).toBe(3);
    expect(error.code).toBe('SHELL_EXIT_NONZERO');
    expect(error.message.replace(dir, '<dir>')).toMatchInlineSnapshot(`
      "Command "echo one >&2; echo two >&2; exit 3" exited with code 3 (in <dir>); stderr ends with:
      one
      two"
    `);
  });

  it('fails with SHELL_SPAWN_FAILED naming the command and cwd', async () => {
    const missingDir = await failure(shellAgent(contextFor({ command: 'ls', cwd: join(dir, 'nope') })));
    expect(missingDir.code).toBe('SHELL_SPAWN_FAILED');
    expect(missingDir.message.replace(dir, '<dir>')).toMatchInlineSnapshot(
      `"Could not start command "ls" in <dir>/nope: the directory does not exist."`,
    );
    const missingProgram = await failure(
      shellAgent(contextFor({ command: 'no-such-program-xyz', args: [], cwd: dir })),
    );
    expect(missingProgram.code).toBe('SHELL_SPAWN_FAILED');
    expect(missingProgram.message.replace(dir, '<dir>')).toMatchInlineSnapshot(
      `"Could not start command "no-such-program-xyz" in <dir>: spawn no-such-program-xyz ENOENT."`,
    );
  });

  it('kills the whole process group when aborted', async () => {
    const controller = new AbortController();
    const marker = join(dir, 'survived');
    const running = shellAgent(
      contextFor(
        { command: `(sleep 0.3; touch ${marker}) & sleep 30`, cwd: dir },
        { signal: controller.signal },
      ),
    );
    setTimeout(() => controller.abort(new Error('timed out')), 100);
    const started = Date.now();
    const error = await failure(running);
    expect((error as unknown as Error).message).toBe('timed out');
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(existsSync(marker)).toBe(false);
  });

  it('is killed at the task timeout when run by the coordinator', async () => {
    const bus = createEventBus();
    const coordinator = createCoordinator({ bus, agents: createAgentRegistry() });
    const flow = workflow([
      task('wait', { agent: 'shell', input: { command: 'sleep 30', cwd: dir }, timeoutMs: 150 }),
    ]);
    const result = await coordinator.run(flow);
    expect(result.tasks[0]).toMatchObject({
      status: 'failed',
      tier: 0,
      error: { code: 'ATTEMPTS_EXHAUSTED' },
    });
    expect(result.tasks[0]?.error?.message).toContain(
      'last error TASK_TIMEOUT: Task "wait" attempt 1 timed out after 150 ms.',
    );
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('stops a command whose output passes maxOutputBytes', async () => {
    const error = await failure(shellAgent(contextFor({ command: 'yes', cwd: dir, maxOutputBytes: 1000 })));
    expect(error.code).toBe('SHELL_OUTPUT_TOO_LARGE');
    expect(error.message.replace(dir, '<dir>')).toMatchInlineSnapshot(
      `"Command "yes" wrote more than 1000 bytes to stdout (in <dir>) and was stopped."`,
    );
  });

  it('rejects bad input with a message naming each field', async () => {
    const error = await failure(
      shellAgent(contextFor({ command: 42, env: { 'BAD-NAME': 'x' }, shell: true })),
    );
    expect(error.code).toBe('AGENT_INPUT_INVALID');
    expect(error.message).toMatchInlineSnapshot(
      `"Task "task-1" gave agent "shell" invalid input: input.command: expected string; input.env.BAD-NAME: bad name: expected letters, digits and _, not starting with a digit; input: unknown field "shell"."`,
    );
  });
});
