// The contract between `npm run bench` (bench/run.ts) and each `bench/*.bench.ts` file.

/** One measured figure. */
export type BenchRow = {
  /** Usually the file's subject, e.g. "coordinator". */
  suite: string;
  /** What was measured, e.g. "chain 1000: per-task overhead". */
  name: string;
  value: number;
  /** e.g. "us/task", "ms", "x". */
  unit: string;
  /** The goal in words, e.g. "<= 1.5x bare"; absent when the row is informational. */
  target?: string;
  /** Whether the target was met; absent when there is no target. */
  pass?: boolean;
  note?: string;
};

/** What a `bench/*.bench.ts` file default-exports. */
export type BenchFile = {
  suite: string;
  run: () => Promise<BenchRow[]>;
};

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Runs `body` `warmup` times unmeasured, then `runs` times; returns each run's wall time in ms. */
export async function timeRuns(
  runs: number,
  warmup: number,
  body: () => Promise<unknown>,
): Promise<number[]> {
  for (let index = 0; index < warmup; index++) await body();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await body();
    times.push(performance.now() - started);
  }
  return times;
}
