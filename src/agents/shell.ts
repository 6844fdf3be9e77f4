import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { OrchestratorError } from '../errors.ts';
import { parseAgentInput } from './input-check.ts';
import type { AgentContext, AgentHandler } from './types.ts';

const shellInputSchema = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    cwd: z.string().min(1).optional(),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
          error: 'expected letters, digits and _, not starting with a digit',
        }),
        z.union([z.string(), z.number(), z.boolean()]),
      )
      .optional(),
    /** Stdout beyond this fails the task (the output travels in events). @default 16 MiB */
    maxOutputBytes: z.number().int().positive().optional(),
  })
  .strict();

/** Input of the built-in `shell` agent. */
export type ShellInput = z.infer<typeof shellInputSchema>;

const example = '{ command: "git ls-files", cwd?: ".", env?: { NAME: "value" }, args?: ["..."] }';
const killGraceMs = 2000;
const defaultMaxOutputBytes = 16 * 1024 * 1024;
const stderrTailLines = 20;

/** A command that exited non-zero or by a signal; carries what the process said last. */
export class ShellError extends OrchestratorError {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: string;

  constructor(message: string, exitCode: number | null, signal: string | null, stderrTail: string) {
    super('SHELL_EXIT_NONZERO', message, {
      hint: 'Run the command by hand in the same directory to see why.',
    });
    this.name = 'ShellError';
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderrTail = stderrTail;
  }
}

/**
 * The built-in `shell` agent (tier 0): runs `input.command` in `input.cwd` through /bin/sh, or with
 * `input.args` as a program without a shell. Values reach it only as environment variables
 * (`input.env`, read as "$NAME") or arguments, never spliced into the command text. Aborting kills
 * the whole process group. Output = stdout, trimmed; a non-zero exit fails with SHELL_EXIT_NONZERO.
 */
export const shellAgent: AgentHandler = createShellAgent();

export type ShellAgentOptions = {
  /**
   * Environment variables the command never sees, such as provider API keys: a command could
   * otherwise print a key into a task output. @default none
   */
  hiddenEnv?: readonly string[];
};

/** Creates the `shell` agent; the orchestrator hides every provider key variable from it. */
export function createShellAgent(options: ShellAgentOptions = {}): AgentHandler {
  const hidden = new Set(options.hiddenEnv ?? []);
  return async (ctx) => {
    const input = parseAgentInput(shellInputSchema, ctx.input, 'shell', ctx.taskId, example);
    const cwd = resolve(input.cwd ?? '.');
    if (!isDirectory(cwd)) throw spawnFailed(input.command, cwd, 'the directory does not exist');
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!hidden.has(name)) env[name] = value;
    for (const [name, value] of Object.entries(input.env ?? {})) env[name] = String(value);
    ctx.signal.throwIfAborted();
    return { output: await run(ctx, input, cwd, env) };
  };
}

function run(ctx: AgentContext, input: ShellInput, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const detached = process.platform !== 'win32';
    const child =
      input.args === undefined
        ? spawn(input.command, { cwd, env, detached, shell: true, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(input.command, input.args, { cwd, env, detached, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const maxBytes = input.maxOutputBytes ?? defaultMaxOutputBytes;
    let bytes = 0;
    let tooLarge = false;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxBytes) stdout.push(chunk);
      else if (!tooLarge) {
        tooLarge = true;
        killGroup(child);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-8192);
    });
    const onAbort = () => killGroup(child);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      ctx.signal.removeEventListener('abort', onAbort);
      reject(spawnFailed(input.command, cwd, error.message));
    });
    child.on('close', (code, signal) => {
      ctx.signal.removeEventListener('abort', onAbort);
      if (ctx.signal.aborted) return reject(ctx.signal.reason);
      if (tooLarge) {
        const message = `Command ${quote(input.command)} wrote more than ${maxBytes} bytes to stdout (in ${cwd}) and was stopped.`;
        return reject(
          new OrchestratorError('SHELL_OUTPUT_TOO_LARGE', message, {
            hint: 'Filter the output in the command, or raise input.maxOutputBytes.',
          }),
        );
      }
      if (code === 0) return resolvePromise(Buffer.concat(stdout).toString('utf8').trim());
      const tail = stderr.trimEnd().split('\n').slice(-stderrTailLines).join('\n');
      const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
      const said = tail === '' ? '' : `; stderr ends with:\n${tail}`;
      reject(new ShellError(`Command ${quote(input.command)} ${how} (in ${cwd})${said}`, code, signal, tail));
    });
  });
}

/** SIGTERM to the whole process group, SIGKILL if it is still there after a grace period. */
function killGroup(child: ChildProcess): void {
  const send = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  send('SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) send('SIGKILL');
  }, killGraceMs);
  timer.unref();
  child.once('close', () => clearTimeout(timer));
}

function spawnFailed(command: string, cwd: string, why: string): OrchestratorError {
  return new OrchestratorError(
    'SHELL_SPAWN_FAILED',
    `Could not start command ${quote(command)} in ${cwd}: ${why}.`,
    {
      hint: 'Check that the program exists and is on PATH, and that `cwd` names a directory.',
    },
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function quote(command: string): string {
  return JSON.stringify(command.length > 200 ? `${command.slice(0, 200)}...` : command);
}
