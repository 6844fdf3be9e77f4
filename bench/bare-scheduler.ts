// The yardstick: a bare p-queue with dependency counting, and nothing else (no events, no retries,
// no limits beyond the global one). The coordinator's overhead is measured against it.
import PQueue from 'p-queue';
import type { Dag } from './dags.ts';

export function runBare(
  dag: Dag,
  concurrency: number,
  handler: (index: number) => Promise<unknown>,
): Promise<void> {
  const queue = new PQueue({ concurrency });
  const waiting = dag.needs.map((parents) => parents.length);
  const children: number[][] = dag.needs.map(() => []);
  dag.needs.forEach((parents, index) => {
    for (const parent of parents) children[parent]?.push(index);
  });
  let done = 0;
  return new Promise((resolve) => {
    const start = (index: number) => {
      void queue.add(async () => {
        await handler(index);
        done++;
        for (const child of children[index] ?? []) {
          waiting[child] = (waiting[child] ?? 0) - 1;
          if (waiting[child] === 0) start(child);
        }
        if (done === dag.needs.length) resolve();
      });
    };
    waiting.forEach((count, index) => {
      if (count === 0) start(index);
    });
  });
}
