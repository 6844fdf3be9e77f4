// `tierflow budgets`: every budget's window, spent, reserved, limit, level and monthly forecast.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  type BudgetStatusRow,
  budgetStatus,
  formatBudgetStatus,
  loadBudgetConfigFromDir,
  openStateDatabase,
  resolveStatePath,
} from '../../index.ts';
import { reportError } from '../exit.ts';

export type BudgetsOptions = {
  /** The directory holding budgets.yaml; without one the shipped defaults apply. @default 'config' */
  configDir?: string;
  json?: boolean;
  state?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** @default Date.now */
  now?: () => number;
  write: (text: string) => void;
};

/** Prints the budgets' state; resolves to the exit code. @throws ConfigError for an invalid budgets.yaml. */
export async function runBudgets(options: BudgetsOptions): Promise<number> {
  const { config, path } = await loadBudgetConfigFromDir(options.configDir ?? 'config');
  const now = (options.now ?? Date.now)();
  const statePath = resolveStatePath({ flag: options.state, env: options.env ?? process.env });
  // Without a ledger nothing was spent: show the budgets over an empty in-memory one, create no file.
  const db = openStateDatabase(existsSync(statePath) ? statePath : ':memory:');
  let rows: BudgetStatusRow[];
  try {
    rows = budgetStatus(db, config, now);
  } finally {
    db.close();
  }
  const source = path ?? 'built-in defaults (no budgets.yaml)';
  if (options.json === true) {
    options.write(
      `${JSON.stringify({ config: source, state: statePath, at: new Date(now).toISOString(), budgets: rows }, null, 2)}\n`,
    );
  } else {
    options.write(`Budgets from ${source}; ledger ${statePath}\n\n${formatBudgetStatus(rows)}\n`);
  }
  return 0;
}

/** Registers `tierflow budgets [--json] [--config <dir>] [--state <file>]`. */
export function registerBudgetsCommand(program: Command): void {
  program
    .command('budgets')
    .description(
      'every budget: window, spent, reserved, limit, throttle level, and when monthly ones run out',
    )
    .option('--config <dir>', 'directory holding budgets.yaml', 'config')
    .option('--json', 'print JSON instead of a table')
    .option('--state <file>', 'the state database (default: TIERFLOW_STATE or .tierflow/state.db)')
    .action(async (flags: { config: string; json?: boolean; state?: string }) => {
      try {
        process.exitCode = await runBudgets({
          configDir: flags.config,
          ...(flags.json === undefined ? {} : { json: flags.json }),
          ...(flags.state === undefined ? {} : { state: flags.state }),
          write: (text) => process.stdout.write(text),
        });
      } catch (error) {
        process.exitCode = reportError(error, (text) => process.stderr.write(text));
      }
    });
}
