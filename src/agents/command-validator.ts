// A `validate: { command }`: runs the command with the task's output on stdin and in $TIERFLOW_OUTPUT;
// exit code 0 passes. The output is never spliced into the command text.

import { resolve } from 'node:path';
import { describeThrown } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import type { CommandValidator } from '../workflow/model.ts';
import { lastLines, runCommand } from './run-command.ts';
import { commandEnvironment } from './shell.ts';
import type { Validation, ValidatorContext } from './validator-types.ts';

/** A command as messages quote it: its first line, at most 80 characters, `...` when cut. */
export function quoteValidatorCommand(command: string): string {
  const lines = command.trim().split('\n');
  const first = lines[0] ?? '';
  const cut = first.length > 80 ? `${first.slice(0, 80)}...` : lines.length > 1 ? `${first} ...` : first;
  return JSON.stringify(cut);
}

/** The environment variable holding the output under validation, as JSON text. */
export const outputVariable = 'TIERFLOW_OUTPUT';
const tailLines = 10;
/** What the command prints is read only for the failure message. */
const maxOutputBytes = 1024 * 1024;

/**
 * Runs a command validator. A non-zero exit, a kill or a command that cannot start is a failed
 * validation with the last lines it printed; an abort (the attempt's limits, or the validator's own
 * `timeout`, armed by the coordinator on its clock) rejects with the signal's reason.
 */
export async function runCommandValidator(
  validator: CommandValidator,
  output: Json,
  ctx: ValidatorContext,
  hiddenEnv: readonly string[],
): Promise<Validation> {
  const json = JSON.stringify(output);
  const env = commandEnvironment(hiddenEnv, { ...validator.env, [outputVariable]: json });
  const cwd = resolve(validator.cwd ?? '.');
  try {
    const result = await runCommand({
      command: validator.command,
      cwd,
      env,
      stdin: json,
      maxOutputBytes,
      signal: ctx.signal,
    });
    if (result.exitCode === 0) return { ok: true, quality: undefined, reason: undefined };
    const how =
      result.exitCode === null ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    const said = lastLines(
      [result.stdout, result.stderr].filter((text) => text !== '').join('\n'),
      tailLines,
    );
    const reason = `command ${quoteValidatorCommand(validator.command)} ${how}${said === '' ? '' : `; it printed last:\n${said}`}`;
    return { ok: false, quality: undefined, reason };
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const message = error instanceof Error ? error.message : describeThrown(error);
    return { ok: false, quality: undefined, reason: message };
  }
}
