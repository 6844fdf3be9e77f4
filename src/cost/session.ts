/**
 * The session a run's calls are budgeted under: `--session` (or the API's `sessionId` option),
 * else TIERFLOW_SESSION, else undefined, in which case the cost tracker uses the run id: each run
 * is its own session. Pass the same session to several runs to share the per-session budgets.
 */
export function resolveSessionId(sources: {
  flag?: string | undefined;
  option?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}): string | undefined {
  const env = sources.env ?? process.env;
  for (const candidate of [sources.flag, sources.option, env.TIERFLOW_SESSION]) {
    if (candidate !== undefined && candidate.trim() !== '') return candidate.trim();
  }
  return undefined;
}
