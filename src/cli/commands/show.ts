// `tierflow show <runId>`: one run's tasks with outputs, models, costs and timings, from the journal.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  formatRunDetail,
  OrchestratorError,
  openStateDatabase,
  resolveStatePath,
  showRun,
} from '../../index.ts';
import { reportError } from '../exit.ts';

export type ShowOptions = {
  json?: boolean;
  state?: string;
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => number;
  write: (text: string) => void;
};

/** Prints one run; resolves to the exit code. @throws OrchestratorError RUN_NOT_FOUND */
export async function runShow(runId: string, options: ShowOptions): Promise<number> {
  const statePath = resolveStatePath({ flag: options.state, env: options.env ?? process.env });
  if (!existsSync(statePath)) {
    throw new OrchestratorError('RUN_NOT_FOUND', `No run "${runId}": ${statePath} does not exist.`, {
      hint: 'Point --state at the database the run used.',
    });
  }
  const db = openStateDatabase(statePath);
  try {
    const detail = showRun(db, runId, (options.now ?? Date.now)());
    options.write(
      options.json === true ? `${JSON.stringify(detail, null, 2)}\n` : `${formatRunDetail(detail)}\n`,
    );
    return 0;
  } finally {
    db.close();
  }
}

/** Registers `tierflow show <runId> [--json] [--state <file>]`. */
export function registerShowCommand(program: Command): void {
  program
    .command('show')
    .description("one run's tasks with outputs, models, costs and timings")
    .argument('<runId>', 'the run (see `tierflow runs`)')
    .option('--json', 'print JSON instead of text')
    .option('--state <file>', 'the state database (default: TIERFLOW_STATE or .tierflow/state.db)')
    .action(async (runId: string, flags: { json?: boolean; state?: string }) => {
      try {
        process.exitCode = await runShow(runId, { ...flags, write: (text) => process.stdout.write(text) });
      } catch (error) {
        process.exitCode = reportError(error, (text) => process.stderr.write(text));
      }
    });
}
