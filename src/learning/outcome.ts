// What the learner records for every attempt, and how much each record teaches.

/** One attempt's outcome as the learner stores it. */
export type OutcomeRecord = {
  runId: string;
  taskId: string;
  attempt: number;
  workflowId: string | undefined;
  agent: string | undefined;
  taskType: string;
  category: string | undefined;
  complexity: number | undefined;
  model: string;
  provider: string | undefined;
  tier: number | undefined;
  /** The attempt did what was asked (or, after feedback, the verdict says so). */
  success: boolean;
  /** 0-1 when the handler, a validator or feedback judged it. */
  quality: number | undefined;
  errorCode: string | undefined;
  latencyMs: number;
  costMicroUsd: number;
  costEstimated: boolean;
  /** The task text (at most 2,000 characters): the prompt-level similarity features. */
  text: string;
  /** Context characters and word count of the task. */
  contextChars: number;
  words: number;
  source: 'run' | 'feedback';
  recordedAt: number;
  /** The task's validator kind, when it had one. */
  validator?: 'command' | 'predicate' | 'consensus' | undefined;
  /** For a task validated by consensus: the attempt's answer and the peers asked (their cost is in `costMicroUsd`). */
  consensus?: ConsensusRecord | undefined;
};

/** What a consensus compared: the attempt's answer (null: none read) and each peer asked, in order. */
export type ConsensusRecord = {
  answer: string | null;
  peers: { model: string; answer: string | null; agreed: boolean; costMicroUsd: number }[];
};

/** A verdict that arrives after the run: a review, a test result. */
export type Verdict = { success?: boolean; quality?: number };

/** Failures that say something about the model's ability; others (rate limits, budgets) teach nothing. */
export const learnableFailureCodes: ReadonlySet<string> = new Set([
  'VALIDATION_FAILED',
  'AGENT_ERROR',
  'AGENT_OUTPUT_INVALID',
  'SHELL_EXIT_NONZERO',
  'TASK_TIMEOUT',
]);

/** The evidence a record carries: a quality 0-1 and how much it counts, or undefined for none. */
export function evidenceOf(
  record: OutcomeRecord,
  unverifiedWeight: number,
): { quality: number; weight: number } | undefined {
  if (record.quality !== undefined) return { quality: record.quality, weight: 1 };
  if (!record.success) {
    // Peers that answered differently make the answer doubtful, not wrong: only a verdict says which.
    if (record.source !== 'feedback' && record.consensus !== undefined) return undefined;
    return record.errorCode !== undefined && learnableFailureCodes.has(record.errorCode)
      ? { quality: 0, weight: 1 }
      : record.source === 'feedback'
        ? { quality: 0, weight: 1 }
        : undefined;
  }
  return { quality: 1, weight: record.source === 'feedback' ? 1 : unverifiedWeight };
}

/** Applies a verdict to a record: `quality` wins; `success` alone means quality 1 or 0. */
export function withVerdict(record: OutcomeRecord, verdict: Verdict, at: number): OutcomeRecord {
  const quality =
    verdict.quality ?? (verdict.success === undefined ? record.quality : verdict.success ? 1 : 0);
  const success =
    verdict.success ?? (verdict.quality === undefined ? record.success : verdict.quality >= 0.5);
  return { ...record, quality, success, source: 'feedback', recordedAt: at };
}
