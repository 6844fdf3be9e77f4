// `tierflow report`: spend, tokens, calls and savings against the all-strongest baseline, from the ledger.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  costReport,
  formatCostReport,
  openStateDatabase,
  parseSince,
  type ReportDimension,
  reportDimensions,
  resolveStatePath,
  runCostSummary,
} from '../../index.ts';
import { reportError } from '../exit.ts';
import { oneOf } from '../options.ts';

export type ReportOptions = {
  /** A duration back from now (`7d`) or a date. @default '7d' */
  since?: string;
  /** @default 'model' */
  by?: ReportDimension;
  json?: boolean;
  /** Only this run's calls (its cost summary). */
  run?: string;
  /** `--state`; else TIERFLOW_STATE, else `.tierflow/state.db`. */
  state?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** @default Date.now */
  now?: () => number;
  write: (text: string) => void;
};

/** Prints the report; resolves to the exit code. @throws OrchestratorError CLI_INVALID_ARGUMENT for a bad --since. */
export async function runReport(options: ReportOptions): Promise<number> {
  const now = (options.now ?? Date.now)();
  const sinceMs = parseSince(options.since ?? '7d', now);
  const by = options.by ?? 'model';
  const statePath = resolveStatePath({ flag: options.state, env: options.env ?? process.env });
  if (!existsSync(statePath)) {
    options.write(
      options.json === true
        ? `${JSON.stringify({ state: statePath, rows: [], total: null })}\n`
        : `No ledger yet: ${statePath} does not exist. Run a workflow first, or point --state at a ledger.\n`,
    );
    return 0;
  }
  const db = openStateDatabase(statePath);
  try {
    if (options.run !== undefined) {
      options.write(`${JSON.stringify(runCostSummary(db, options.run), null, 2)}\n`);
      return 0;
    }
    const report = costReport(db, { sinceMs, untilMs: now + 1, by });
    if (options.json === true) {
      options.write(
        `${JSON.stringify({ state: statePath, ...report, since: new Date(sinceMs).toISOString() }, null, 2)}\n`,
      );
    } else {
      options.write(`${formatCostReport(report, statePath)}\n`);
    }
    return 0;
  } finally {
    db.close();
  }
}

/** Registers `tierflow report [--since 7d] [--by category|model|session|workflow|day] [--json] [--state <file>]`. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('spend, tokens, calls and savings against the all-strongest baseline, from the cost ledger')
    .option('--since <when>', 'a duration back from now (30m, 24h, 7d, 2w) or a UTC date', '7d')
    .option('--by <dimension>', `group by ${reportDimensions.join(' | ')}`, oneOf(reportDimensions), 'model')
    .option('--run <runId>', "one run's cost summary (JSON)")
    .option('--json', 'print JSON instead of a table')
    .option('--state <file>', 'the state database (default: TIERFLOW_STATE or .tierflow/state.db)')
    .action(
      async (flags: { since: string; by: ReportDimension; run?: string; json?: boolean; state?: string }) => {
        try {
          process.exitCode = await runReport({ ...flags, write: (text) => process.stdout.write(text) });
        } catch (error) {
          process.exitCode = reportError(error, (text) => process.stderr.write(text));
        }
      },
    );
}
