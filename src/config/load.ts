// Loads every config file of a directory in one pass; a file the directory lacks comes from the
// config/ folder shipped with tierflow.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Diagnostic } from '../errors.ts';
import { type BudgetConfig, loadBudgetConfig } from './budgets.ts';
import { loadModelCatalog, type ModelCatalog } from './models.ts';
import { loadProvidersConfig, type ProvidersConfig } from './providers.ts';
import { bundledConfigDir, loadRoutingConfig, type RoutingConfig } from './routing.ts';
import { loadTaskTypeCatalog, type TaskTypeCatalog } from './task-types.ts';

/** Everything tierflow reads from config/: model catalog, task types, routing, budgets, providers. */
export type TierflowConfig = {
  /** Where each file was read from. */
  files: Readonly<Record<ConfigFileName, string | undefined>>;
  models: ModelCatalog;
  taskTypes: TaskTypeCatalog;
  routing: RoutingConfig;
  budgets: BudgetConfig;
  providers: ProvidersConfig | undefined;
};

export const configFileNames = [
  'models.yaml',
  'task-types.yaml',
  'routing.yaml',
  'budgets.yaml',
  'providers.yaml',
] as const;
export type ConfigFileName = (typeof configFileNames)[number];

export { bundledConfigDir };

/**
 * Reads the config of `dir` (default: the shipped config/), falling back file by file to the shipped
 * one. Every problem of every file is reported together in one ConfigError.
 */
export async function loadConfig(dir: string = bundledConfigDir): Promise<TierflowConfig> {
  if (!existsSync(dir)) {
    throw new ConfigError([
      {
        file: dir,
        line: undefined,
        column: undefined,
        code: 'CONFIG_NOT_FOUND',
        path: '',
        message: `config directory "${dir}" does not exist`,
        hint: `create it with any of ${configFileNames.join(', ')}, or leave --config out to use the shipped config`,
      },
    ]);
  }
  const dirOf = (name: ConfigFileName) => (existsSync(join(dir, name)) ? dir : bundledConfigDir);
  const diagnostics: Diagnostic[] = [];
  const attempt = async <T>(load: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await load();
    } catch (error) {
      if (error instanceof ConfigError) {
        diagnostics.push(...error.diagnostics);
        return undefined;
      }
      throw error;
    }
  };
  const [models, taskTypes, routing, budgets, providers] = await Promise.all([
    attempt(() => loadModelCatalog(dirOf('models.yaml'))),
    attempt(() => loadTaskTypeCatalog(dirOf('task-types.yaml'))),
    attempt(() => loadRoutingConfig(dirOf('routing.yaml'))),
    attempt(() => loadBudgetConfig(join(dirOf('budgets.yaml'), 'budgets.yaml'))),
    attempt(() => loadProvidersConfig(dirOf('providers.yaml'))),
  ]);
  if (diagnostics.length > 0 || !models || !taskTypes || !routing || !budgets)
    throw new ConfigError(diagnostics);
  const files = Object.fromEntries(
    configFileNames.map((name) => {
      const path = join(dirOf(name), name);
      return [name, existsSync(path) ? path : undefined];
    }),
  ) as Record<ConfigFileName, string | undefined>;
  return { files, models, taskTypes, routing, budgets, providers };
}
