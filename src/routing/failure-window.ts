// Recent outcomes per task type: how many of the last N finished attempts failed.

/** Remembers the last `window` outcomes of each task type. */
export type FailureWindow = {
  record: (taskType: string, failed: boolean) => void;
  /** Failures among the last `window` outcomes of this type. */
  failures: (taskType: string) => number;
  readonly window: number;
};

type Ring = { outcomes: Uint8Array; next: number; size: number; failures: number };

export function createFailureWindow(window: number): FailureWindow {
  const rings = new Map<string, Ring>();
  return {
    window,
    record: (taskType, failed) => {
      let ring = rings.get(taskType);
      if (ring === undefined) {
        ring = { outcomes: new Uint8Array(window), next: 0, size: 0, failures: 0 };
        rings.set(taskType, ring);
      }
      if (ring.size === window) ring.failures -= ring.outcomes[ring.next]!;
      else ring.size++;
      ring.outcomes[ring.next] = failed ? 1 : 0;
      ring.failures += failed ? 1 : 0;
      ring.next = (ring.next + 1) % window;
    },
    failures: (taskType) => rings.get(taskType)?.failures ?? 0,
  };
}
