// `tierflow eval`: replays a per-prompt, per-model outcome dataset through the router, the cost tracker
// and the learner, and reports accuracy and cost against always using the strongest model.
import { join } from 'node:path';
import type { Command } from 'commander';
import { bundledConfigDir, evalJson, formatEvalReport, OrchestratorError, runEval } from '../../index.ts';
import { exitCodes, reportError } from '../exit.ts';
import { wholeNumber } from '../options.ts';

export type EvalFlags = {
  dataset: string;
  policy: string;
  train?: string;
  prices?: string;
  catalog?: string;
  seed: number;
  knob?: string;
  validators: boolean;
  online?: boolean;
  json?: boolean;
};
type Output = { stdout: (text: string) => void; stderr: (text: string) => void };

/** Registers `tierflow eval --dataset <csv> [--policy ...] [--train <csv>] [--prices <yaml>] [--seed N] [--json]`. */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('replay a per-prompt, per-model outcome dataset through routing, cost and learning')
    .requiredOption('--dataset <csv>', 'a CSV file, a comma-separated list of files, or a folder of them')
    .option(
      '--policy <policy>',
      'learned | static | static-fitted | cascade | oracle | always:<model>',
      'learned',
    )
    .option('--train <csv>', "train prompts (file, list or folder); default: the dataset's train split")
    .option('--prices <yaml>', 're-price the models: `prices: { <model>: { usdPerCall: 0.0002 } }`')
    .option('--catalog <yaml>', 'the eval model catalog (default: config/eval-models.yaml)')
    .option('--seed <n>', 'seed of every random choice', wholeNumber(0), 1)
    .option('--knob <q>', 'the quality bar of the headline figures (default 0.85)')
    .option('--no-validators', 'no validation-driven escalation (learned and cascade)')
    .option('--online', 'with --json, print the run with online learning instead of the frozen one')
    .option('--json', 'print one result as JSON')
    .action((flags: EvalFlags) => {
      process.exitCode = evalCommand(flags, {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
    });
}

/** Runs the eval for parsed flags and prints the result; returns the exit code. */
export function evalCommand(flags: EvalFlags, output: Output): number {
  try {
    const knob = flags.knob === undefined ? undefined : Number(flags.knob);
    if (knob !== undefined && !(knob >= 0 && knob <= 1)) {
      throw new OrchestratorError(
        'CLI_INVALID_ARGUMENT',
        `--knob "${flags.knob}" is not a quality bar; expected a number from 0 to 1.`,
        {
          hint: 'Example: --knob 0.9',
        },
      );
    }
    const report = runEval({
      dataset: flags.dataset,
      policy: flags.policy,
      catalogFile: flags.catalog ?? join(bundledConfigDir, 'eval-models.yaml'),
      seed: flags.seed,
      validators: flags.validators,
      ...(flags.train === undefined ? {} : { train: flags.train }),
      ...(flags.prices === undefined ? {} : { prices: flags.prices }),
      ...(knob === undefined ? {} : { knob }),
    });
    if (flags.json === true)
      output.stdout(evalJson(flags.online === true ? (report.online ?? report.frozen) : report.frozen));
    else output.stdout(formatEvalReport(report, flags.dataset));
    return exitCodes.ok;
  } catch (error) {
    return reportError(error, output.stderr);
  }
}
