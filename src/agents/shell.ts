import { resolve } from 'node:path';
import { z } from 'zod';
import { OrchestratorError } from '../errors.ts';
import { parseAgentInput } from './input-check.ts';
import { lastLines, quoteCommand, runCommand } from './run-command.ts';
import type { AgentHandler } from './types.ts';

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
  const hidden = options.hiddenEnv ?? [];
  return async (ctx) => {
    const input = parseAgentInput(shellInputSchema, ctx.input, 'shell', ctx.taskId, example);
    const cwd = resolve(input.cwd ?? '.');
    const result = await runCommand({
      command: input.command,
      args: input.args,
      cwd,
      env: commandEnvironment(hidden, input.env),
      maxOutputBytes: input.maxOutputBytes ?? defaultMaxOutputBytes,
      signal: ctx.signal,
    });
    if (result.exitCode === 0) return { output: result.stdout };
    const tail = lastLines(result.stderr, stderrTailLines);
    const how =
      result.exitCode === null ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    const said = tail === '' ? '' : `; stderr ends with:\n${tail}`;
    throw new ShellError(
      `Command ${quoteCommand(input.command)} ${how} (in ${cwd})${said}`,
      result.exitCode,
      result.signal,
      tail,
    );
  };
}

/** The process's environment without the hidden variables, plus the given values as text. */
export function commandEnvironment(
  hidden: readonly string[],
  values: Readonly<Record<string, string | number | boolean>> | undefined,
): NodeJS.ProcessEnv {
  const skip = new Set(hidden);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!skip.has(name)) env[name] = value;
  for (const [name, value] of Object.entries(values ?? {})) env[name] = String(value);
  return env;
}
