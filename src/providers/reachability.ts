/** Whether a base URL answered: any HTTP status counts as reachable (no key is sent). */
export type Reachability =
  | { reachable: true; status: number; latencyMs: number }
  | { reachable: false; reason: string; latencyMs: number };

export type ReachabilityOptions = {
  /** @default 3000 */
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** @default Date.now */
  now?: () => number;
};

/**
 * Sends `GET <baseURL>/models` without credentials and reports whether anything answered within
 * the timeout. A 401 or 404 still proves the server is there; only network errors and timeouts
 * count as unreachable.
 */
export async function checkReachability(
  baseURL: string,
  options: ReachabilityOptions = {},
): Promise<Reachability> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const now = options.now ?? Date.now;
  const fetcher = options.fetch ?? globalThis.fetch;
  const startedAt = now();
  try {
    const response = await fetcher(`${baseURL.replace(/\/+$/, '')}/models`, {
      method: 'GET',
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await response.body?.cancel();
    return { reachable: true, status: response.status, latencyMs: now() - startedAt };
  } catch (error) {
    const latencyMs = now() - startedAt;
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return { reachable: false, reason: `no answer within ${timeoutMs} ms`, latencyMs };
    }
    return { reachable: false, reason: networkReason(error), latencyMs };
  }
}

function networkReason(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return `connection failed (${cause.code})`;
  if (typeof cause?.message === 'string' && cause.message !== '')
    return `connection failed (${cause.message})`;
  return `connection failed (${error instanceof Error ? error.message : String(error)})`;
}
