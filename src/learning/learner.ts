import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { attemptKeyOf } from '../events/reply.ts';
import { type ExplorationOptions, exploredQuality, shouldExplore } from './explore.ts';
import { evidenceOf, type OutcomeRecord, type Verdict, withVerdict } from './outcome.ts';
import { createMemoryOutcomeStore, type OutcomeStore } from './outcome-store.ts';
import { createPosteriors, type Posterior, type Posteriors } from './posteriors.ts';
import { createRandom } from './random.ts';
import { createTextEvidence, type NeighbourSettings } from './text-evidence.ts';

/** A quality estimate (0-1) of a model on a task, and how many outcomes it rests on. */
export type QualityEstimate = { quality: number; observations: number };
/** What the estimator may know about the task beyond its type. */
export type EstimateFeatures = { text?: string; category?: string };
/** The interface routing reads quality through; the learner implements it. */
export type QualityEstimator = {
  estimate: (taskType: string, model: string, features?: EstimateFeatures) => QualityEstimate;
};

export type NeighbourOptions = {
  /** Neighbours consulted per task. @default 24 */
  k?: number;
  /** Texts less similar than this (cosine, 0-1) are ignored. @default 0.15 */
  minSimilarity?: number;
  /** How many neighbour-weights the (task type, model) posterior counts for. @default 3 */
  strength?: number;
};

/** A shift of a (task type, model) estimate worth reporting as ROUTING_POLICY_UPDATED. */
export type PolicyShift = { taskType: string; model: string; from: number; to: number; observations: number };

export type LearnerOptions = {
  /** The catalog's quality prior per model. */
  priorOf: (model: string) => number | undefined;
  /** @default an in-memory store */
  store?: OutcomeStore;
  /** How many outcomes the catalog prior is worth. @default 4 */
  priorStrength?: number;
  /** Prompt-level estimates from similar past tasks; false turns them off. @default {} */
  neighbours?: NeighbourOptions | false;
  /** Weight of a success nobody verified (completed, no quality, no feedback yet). @default 0.5 */
  unverifiedWeight?: number;
  /** @default no exploration */
  exploration?: ExplorationOptions;
  /** A change of an estimate at least this large is reported. @default 0.05 */
  policyShift?: number;
  clock?: Clock;
};

/** The outcome learner: records outcomes, keeps posteriors and similar-task evidence, estimates quality. */
export type Learner = QualityEstimator & {
  /** Records one attempt's outcome; false (and nothing learned) when that attempt was already recorded. */
  observe: (outcome: OutcomeRecord) => boolean;
  /** Applies a late verdict to the latest attempt of a task; undefined when the task has no outcome. */
  feedback: (runId: string, taskId: string, verdict: Verdict) => OutcomeRecord | undefined;
  posterior: (taskType: string, model: string) => Posterior;
  /** Calls `listener` on every reportable shift; returns its disposer. */
  onPolicyShift: (listener: (shift: PolicyShift) => void) => () => void;
  /**
   * Chooses, per task type, how much similar-task evidence counts (a strength from `grid`; Infinity turns it
   * off) by the leave-one-out Brier score of the estimates on the stored outcomes. Types with fewer than 20
   * stored texts keep the configured strength. Returns the choices.
   */
  tuneNeighbours: (grid?: readonly number[]) => Record<string, number>;
  /** While frozen, outcomes are stored but estimates do not move. */
  setFrozen: (frozen: boolean) => void;
  /** Grows as the estimates take outcomes and verdicts in (a verdict counts twice: retracted, then added); not while frozen. */
  revision: () => number;
  /**
   * The stored outcomes the estimates rest on, oldest first (with `limit`, of the newest that many stored):
   * those recorded, or given a verdict, while this learner was frozen are left out (they are in the store
   * for a later learner).
   */
  learned: (limit?: number) => OutcomeRecord[];
  store: OutcomeStore;
};

/** Creates a learner and rebuilds its estimates from every outcome already in the store. */
export function createLearner(options: LearnerOptions): Learner {
  const store = options.store ?? createMemoryOutcomeStore();
  const clock = options.clock ?? systemClock;
  const unverifiedWeight = options.unverifiedWeight ?? 0.5;
  const posteriors = createPosteriors({
    priorOf: options.priorOf,
    priorStrength: options.priorStrength ?? 4,
  });
  const texts =
    options.neighbours === false ? undefined : createTextEvidence(neighbourSettings(options.neighbours));
  const shifts = createShiftReporter(posteriors, options.policyShift ?? 0.05);
  const random = createRandom(options.exploration?.seed ?? 1);
  const frozen = createFreeze();

  const apply = (record: OutcomeRecord, sign: 1 | -1) => {
    frozen.applied();
    const evidence = evidenceOf(record, unverifiedWeight);
    if (evidence === undefined) return;
    const posterior = posteriors.add(record.taskType, record.model, evidence.quality, sign * evidence.weight);
    if (texts !== undefined && record.text !== '')
      texts.add(record.taskType, record.model, record.text, evidence.quality, sign * evidence.weight);
    shifts.report(record.taskType, record.model, posterior);
  };

  for (const record of store.all()) apply(record, 1);

  return {
    store,
    posterior: (taskType, model) => posteriors.get(taskType, model),
    onPolicyShift: shifts.on,
    tuneNeighbours: (grid) =>
      texts?.tune((taskType, model) => posteriors.get(taskType, model).mean, grid) ?? {},
    setFrozen: frozen.set,
    revision: frozen.revision,
    learned: (limit) => frozen.learned(store, limit),
    observe: (outcome) => {
      if (!store.record(outcome)) return false;
      if (frozen.is()) frozen.skip(outcome);
      else apply(outcome, 1);
      return true;
    },
    feedback: (runId, taskId, verdict) => {
      const previous = store.latest(runId, taskId);
      if (previous === undefined) return undefined;
      const updated = withVerdict(previous, verdict, clock.now());
      store.replace(updated);
      if (frozen.is()) frozen.skip(updated);
      else {
        // An attempt stored while frozen was never applied: nothing of it to retract.
        if (!frozen.unskip(previous)) apply(previous, -1);
        apply(updated, 1);
      }
      return updated;
    },
    estimate: (taskType, model, features = {}) => {
      const posterior = posteriors.get(taskType, model);
      const text = features.text ?? '';
      const base =
        options.exploration !== undefined &&
        shouldExplore(options.exploration, features.category, `${taskType}:${text}`)
          ? exploredQuality(posterior, options.exploration, random)
          : posterior.mean;
      const quality = texts === undefined || text === '' ? base : texts.blend(taskType, model, text, base);
      return { quality, observations: posterior.observations };
    },
  };
}

function neighbourSettings(options: NeighbourOptions | undefined): NeighbourSettings {
  return {
    k: options?.k ?? 24,
    minSimilarity: options?.minSimilarity ?? 0.15,
    strength: options?.strength ?? 3,
  };
}

/** Reports a (task type, model) estimate that moved at least `threshold` since it was last reported. */
function createShiftReporter(posteriors: Posteriors, threshold: number) {
  const reported = new Map<string, number>();
  const listeners = new Set<(shift: PolicyShift) => void>();
  return {
    on: (listener: (shift: PolicyShift) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report: (taskType: string, model: string, posterior: Posterior) => {
      const key = `${taskType}\u0000${model}`;
      const from = reported.get(key) ?? posteriors.get('\u0000prior', model).mean;
      if (Math.abs(posterior.mean - from) < threshold) return;
      reported.set(key, posterior.mean);
      const shift = {
        taskType,
        model,
        from,
        to: posterior.mean,
        observations: Math.round(posterior.observations),
      };
      for (const listener of listeners) listener(shift);
    },
  };
}

/**
 * Whether the learner is frozen, how many outcomes and verdicts it has taken in, and which stored attempts it
 * skipped while frozen (kept out of `learned()`).
 */
function createFreeze() {
  let frozen = false;
  let revision = 0;
  const skipped = new Set<string>();
  return {
    is: () => frozen,
    set: (value: boolean) => {
      frozen = value;
    },
    applied: () => {
      revision += 1;
    },
    revision: () => revision,
    skip: (record: OutcomeRecord) => void skipped.add(attemptKeyOf(record)),
    /** Forgets that a record was skipped; true when it was. */
    unskip: (record: OutcomeRecord) => skipped.delete(attemptKeyOf(record)),
    /** The stored records not skipped, oldest first; with `limit`, the newest that many of them. */
    learned: (store: OutcomeStore, limit: number | undefined) => {
      if (skipped.size === 0) return limit === undefined ? store.all() : store.newest(limit);
      const kept = store.all().filter((record) => !skipped.has(attemptKeyOf(record)));
      return limit === undefined ? kept : kept.slice(Math.max(0, kept.length - limit));
    },
  };
}
