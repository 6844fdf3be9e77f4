// `tierflow feedback <runId> <taskId> --success|--fail|--quality 0.8`: a verdict that arrives after the run.
import type { Command } from 'commander';
import {
  createSqliteOutcomeStore,
  OrchestratorError,
  openStateDatabase,
  recordFeedback,
  resolveStatePath,
  type Verdict,
} from '../../index.ts';
import { exitCodes, reportError } from '../exit.ts';

export type FeedbackFlags = { success?: boolean; fail?: boolean; quality?: string; state?: string };
type Output = { stdout: (text: string) => void; stderr: (text: string) => void };

/** Registers `tierflow feedback <runId> <taskId> (--success | --fail | --quality <0-1>) [--state <file>]`. */
export function registerFeedbackCommand(program: Command): void {
  program
    .command('feedback')
    .description('record a late verdict (a review, a test result) on a task; the learner learns from it')
    .argument('<runId>', 'the run the task belongs to')
    .argument('<taskId>', 'the task; the verdict applies to its latest attempt')
    .option('--success', 'the task did what was asked')
    .option('--fail', 'the task did not do what was asked')
    .option('--quality <q>', 'a quality from 0 to 1')
    .option('--state <file>', 'the state database (default: TIERFLOW_STATE or .tierflow/state.db)')
    .action((runId: string, taskId: string, flags: FeedbackFlags) => {
      process.exitCode = feedbackCommand(runId, taskId, flags, {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
    });
}

/** Records the verdict in the state database; returns the exit code. */
export function feedbackCommand(
  runId: string,
  taskId: string,
  flags: FeedbackFlags,
  output: Output,
  env: Readonly<Record<string, string | undefined>> = process.env,
  now: () => number = Date.now,
): number {
  try {
    const verdict = verdictOf(flags);
    const db = openStateDatabase(resolveStatePath({ flag: flags.state, env }));
    try {
      const updated = recordFeedback(createSqliteOutcomeStore(db), runId, taskId, verdict, now());
      const quality = updated.quality === undefined ? '' : `, quality ${updated.quality}`;
      output.stdout(
        `Recorded feedback on task "${taskId}" of run "${runId}" (attempt ${updated.attempt}, model ${updated.model}): ${updated.success ? 'success' : 'failure'}${quality}.\n`,
      );
    } finally {
      db.close();
    }
    return exitCodes.ok;
  } catch (error) {
    return reportError(error, output.stderr);
  }
}

function verdictOf(flags: FeedbackFlags): Verdict {
  const given = [flags.success === true, flags.fail === true, flags.quality !== undefined].filter(
    Boolean,
  ).length;
  if (given !== 1) {
    throw new OrchestratorError(
      'CLI_INVALID_ARGUMENT',
      'Give exactly one of --success, --fail or --quality <0-1>.',
      {
        hint: 'Example: tierflow feedback <runId> <taskId> --quality 0.8',
      },
    );
  }
  if (flags.quality === undefined) return { success: flags.success === true };
  const quality = Number(flags.quality);
  if (flags.quality.trim() === '' || !(quality >= 0 && quality <= 1)) {
    throw new OrchestratorError(
      'CLI_INVALID_ARGUMENT',
      `--quality "${flags.quality}" is out of range; expected a number from 0 to 1.`,
      {
        hint: 'Example: --quality 0.8',
      },
    );
  }
  return { quality };
}
