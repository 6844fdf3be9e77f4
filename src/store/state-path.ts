import { defaultStatePath } from './database.ts';

export type StatePathSources = {
  /** `--state <file>` on the command line. */
  flag?: string | undefined;
  /** The process environment; reads TIERFLOW_STATE. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The `state` key of the tierflow config. */
  config?: string | undefined;
};

/**
 * Where the state database lives: `--state`, else TIERFLOW_STATE, else the config's `state` key,
 * else `.tierflow/state.db` (relative to the working directory). Empty values count as unset.
 */
export function resolveStatePath(sources: StatePathSources = {}): string {
  const env = sources.env ?? process.env;
  for (const candidate of [sources.flag, env.TIERFLOW_STATE, sources.config]) {
    if (candidate !== undefined && candidate.trim() !== '') return candidate;
  }
  return defaultStatePath;
}
