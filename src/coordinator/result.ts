import type { SerializedError } from '../errors.ts';
import type { Category, Json, TaskStatus, Tier } from '../events/vocabulary.ts';
import type { TaskRecord } from './state.ts';

/** One task in the run result; times in ms since the epoch, unknowns null. */
export type TaskSummary = {
  id: string;
  agent: string;
  phase: string | null;
  status: TaskStatus;
  /** Attempts over all items of a `foreach` task. */
  attempts: number;
  /** The tier of the model of the last attempt; 0 for deterministic agents. */
  tier: Tier | null;
  model: string | null;
  provider: string | null;
  category: Category | null;
  complexity: number | null;
  costUsd: number;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Some attempt was answered by the offline simulation, not a real model. */
  simulated: boolean;
  startedAt: number | null;
  endedAt: number | null;
  error?: SerializedError;
  output?: Json;
};

export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

/** What `coordinator.run` resolves with. */
export type RunResult = {
  runId: string;
  workflow: string;
  status: RunStatus;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  tasks: TaskSummary[];
  cost: {
    totalUsd: number;
    /** What the same usage would have cost on the baseline model; null without `baselineCost`. */
    baselineUsd: number | null;
    savingsPct: number | null;
  };
};

export function summarizeTask(record: TaskRecord): TaskSummary {
  const { definition, tally } = record;
  const summary: TaskSummary = {
    id: definition.id,
    agent: definition.agent,
    phase: definition.phase ?? null,
    status: record.status ?? 'cancelled',
    attempts: tally.attempts,
    // A task that never ran has no tier, unless it is deterministic (tier 0 whatever happens).
    tier:
      tally.tier ??
      (record.deterministic ? 0 : tally.attempts > 0 ? (record.fallbackModel?.tier ?? null) : null),
    model: tally.model?.id ?? null,
    provider: tally.model?.provider ?? null,
    category: tally.category ?? null,
    complexity: tally.complexity ?? null,
    costUsd: tally.costMicroUsd / 1_000_000,
    inputTokens: tally.inputTokens ?? null,
    outputTokens: tally.outputTokens ?? null,
    startedAt: tally.startedAt ?? null,
    endedAt: tally.endedAt ?? null,
    simulated: tally.simulated,
    // Always both keys, so every summary has one shape; undefined ones vanish in JSON.
    error: record.error,
    output: record.output,
  };
  return summary;
}

/** Sums cost over tasks; baseline and savings only when a `baselineCost` is configured. */
export function summarizeCost(records: readonly TaskRecord[], withBaseline: boolean): RunResult['cost'] {
  let total = 0;
  let baseline = 0;
  for (const record of records) {
    total += record.tally.costMicroUsd;
    baseline += record.tally.baselineMicroUsd ?? 0;
  }
  if (!withBaseline) return { totalUsd: total / 1_000_000, baselineUsd: null, savingsPct: null };
  const savingsPct = baseline > 0 ? Math.round(((baseline - total) / baseline) * 1000) / 10 : null;
  return { totalUsd: total / 1_000_000, baselineUsd: baseline / 1_000_000, savingsPct };
}
