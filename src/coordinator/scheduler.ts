import PQueue from 'p-queue';

/** A limit shared by several units: a phase, a group, or the items of one `foreach` task. */
export type Gate = { limit: number; running: number };

/** One runnable piece of work: a task, or one item of a `foreach` task. */
export type Schedulable = {
  /** 0 critical, 1 high, 2 normal, 3 low. */
  priorityRank: number;
  /** Position of the task in the file. */
  fileIndex: number;
  /** Position of the item in a `foreach`; 0 otherwise. */
  itemIndex: number;
  /** Gates the unit holds a slot of while it runs (phase, group, foreach). */
  gates: readonly Gate[];
  /** Runs the unit; never rejects. */
  start: () => Promise<void>;
};

export type Scheduler = {
  /** Adds a ready unit; it starts as soon as the global limit and each of its gates has room. */
  offer: (unit: Schedulable) => void;
  /** Removes and returns every unit that has not started, e.g. on cancellation. */
  drain: () => Schedulable[];
  /** Resolves when nothing is running or queued. */
  idle: () => Promise<void>;
};

/**
 * The ready set and the WIP limits. Ready units wait here, ordered by priority then file order,
 * and the first one whose gates all have room is handed to a p-queue that holds the global limit.
 * Choosing here rather than inside p-queue means a unit blocked by its phase never holds a global
 * slot, and one blocked unit never stops others behind it (no head-of-line blocking).
 */
export function createScheduler(max: number): Scheduler {
  const queue = new PQueue({ concurrency: max });
  const ready: Schedulable[] = [];
  let reserved = 0;

  const fits = (unit: Schedulable) => {
    for (const gate of unit.gates) if (gate.running >= gate.limit) return false;
    return true;
  };

  const launch = (unit: Schedulable) => {
    reserved++;
    for (const gate of unit.gates) gate.running++;
    void queue.add(async () => {
      await unit.start();
      reserved--;
      for (const gate of unit.gates) gate.running--;
      pump();
    });
  };

  const pump = () => {
    let index = 0;
    while (reserved < max && index < ready.length) {
      const unit = ready[index] as Schedulable;
      if (fits(unit)) {
        ready.splice(index, 1);
        launch(unit);
      } else index++;
    }
  };

  return {
    offer: (unit) => {
      if (reserved < max && ready.length === 0 && fits(unit)) {
        launch(unit);
        return;
      }
      ready.splice(insertionIndex(ready, unit), 0, unit);
      pump();
    },
    drain: () => ready.splice(0, ready.length),
    idle: () => queue.onIdle(),
  };
}

function before(a: Schedulable, b: Schedulable): boolean {
  if (a.priorityRank !== b.priorityRank) return a.priorityRank < b.priorityRank;
  if (a.fileIndex !== b.fileIndex) return a.fileIndex < b.fileIndex;
  return a.itemIndex < b.itemIndex;
}

function insertionIndex(ready: readonly Schedulable[], unit: Schedulable): number {
  let low = 0;
  let high = ready.length;
  const last = ready[high - 1];
  if (last === undefined || before(last, unit)) return high;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(ready[middle] as Schedulable, unit)) low = middle + 1;
    else high = middle;
  }
  return low;
}
