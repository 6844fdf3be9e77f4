// `tierflow runs`: the runs of the journal (id, workflow, status, started, cost, tasks done/total).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  formatRunList,
  type JournalRunStatus,
  journalRunStatuses,
  listRuns,
  OrchestratorError,
  openStateDatabase,
  resolveStatePath,
} from '../../index.ts';
import { reportError } from '../exit.ts';
import { wholeNumber } from '../options.ts';

export type RunsOptions = {
  /** Comma-separated statuses to keep. */
  status?: string;
  limit?: number;
  json?: boolean;
  state?: string;
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => number;
  write: (text: string) => void;
};

/** Prints the runs; resolves to the exit code. @throws OrchestratorError CLI_INVALID_ARGUMENT for an unknown status. */
export async function runRuns(options: RunsOptions): Promise<number> {
  const status = parseStatuses(options.status);
  const statePath = resolveStatePath({ flag: options.state, env: options.env ?? process.env });
  if (!existsSync(statePath)) {
    options.write(
      options.json === true ? '[]\n' : `No runs yet: ${statePath} does not exist. Run a workflow first.\n`,
    );
    return 0;
  }
  const db = openStateDatabase(statePath);
  try {
    const runs = listRuns(db, {
      ...(status === undefined ? {} : { status }),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      now: (options.now ?? Date.now)(),
    });
    options.write(
      options.json === true ? `${JSON.stringify(runs, null, 2)}\n` : `${formatRunList(runs, statePath)}\n`,
    );
    return 0;
  } finally {
    db.close();
  }
}

function parseStatuses(value: string | undefined): JournalRunStatus[] | undefined {
  if (value === undefined) return undefined;
  const wanted = value.split(',').map((part) => part.trim());
  const unknown = wanted.find((part) => !(journalRunStatuses as readonly string[]).includes(part));
  if (unknown !== undefined) {
    throw new OrchestratorError(
      'CLI_INVALID_ARGUMENT',
      `--status "${unknown}" is not a run status; expected one of ${journalRunStatuses.map((s) => `"${s}"`).join(' | ')}.`,
      { hint: 'Separate several statuses with commas: --status crashed,interrupted.' },
    );
  }
  return wanted as JournalRunStatus[];
}

/** Registers `tierflow runs [--status ...] [--limit n] [--json] [--state <file>]`. */
export function registerRunsCommand(program: Command): void {
  program
    .command('runs')
    .description('list the runs of the journal: id, workflow, status, started, cost, tasks done/total')
    .option('--status <list>', `only these statuses, comma-separated: ${journalRunStatuses.join(', ')}`)
    .option('--limit <n>', 'at most this many runs, newest first', wholeNumber(1))
    .option('--json', 'print JSON instead of a table')
    .option('--state <file>', 'the state database (default: TIERFLOW_STATE or .tierflow/state.db)')
    .action(async (flags: { status?: string; limit?: number; json?: boolean; state?: string }) => {
      try {
        process.exitCode = await runRuns({ ...flags, write: (text) => process.stdout.write(text) });
      } catch (error) {
        process.exitCode = reportError(error, (text) => process.stderr.write(text));
      }
    });
}
