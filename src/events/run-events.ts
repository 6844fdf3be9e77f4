// Events emitted by coordinator/: the life of a run, its tasks and their attempts.
import { z } from 'zod';
import {
  attemptKey,
  eventErrorSchema,
  jsonSchema,
  modelRefSchema,
  prioritySchema,
  taskKey,
  taskStatusSchema,
  tierRangeSchema,
  tierSchema,
  usageSchema,
} from './vocabulary.ts';

export const workflowStartedSchema = z
  .object({
    runId: z.string(),
    workflowId: z.string(),
    taskCount: z.number().int().nonnegative(),
    input: z.record(z.string(), jsonSchema),
    sessionId: z.string().optional(),
    resumed: z.boolean().optional(),
  })
  .strict();

const runSummary = {
  runId: z.string(),
  workflowId: z.string(),
  durationMs: z.number().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  cancelled: z.number().int().nonnegative(),
};
export const workflowCompletedSchema = z.object(runSummary).strict();
export const workflowFailedSchema = z
  .object({ ...runSummary, failedTasks: z.array(z.string()), error: eventErrorSchema.optional() })
  .strict();
export const workflowCancelledSchema = z.object({ ...runSummary, reason: z.string() }).strict();

export const taskReadySchema = z
  .object({ ...taskKey, phase: z.string().optional(), priority: prioritySchema })
  .strict();
export const taskSkippedSchema = z
  .object({
    ...taskKey,
    reason: z.string(),
    cause: z.enum(['condition_false', 'upstream_failed', 'trigger_not_met', 'no_items']),
  })
  .strict();
export const taskCancelledSchema = z.object({ ...taskKey, reason: z.string() }).strict();
export const taskSucceededSchema = z
  .object({ ...taskKey, attempts: z.number().int().nonnegative(), output: jsonSchema })
  .strict();
export const taskFailedSchema = z
  .object({ ...taskKey, attempts: z.number().int().nonnegative(), error: eventErrorSchema })
  .strict();
export const taskTimedOutSchema = z
  .object({ ...attemptKey, limitMs: z.number().nonnegative(), kind: z.enum(['timeout', 'deadline']) })
  .strict();
/** A task ended; one of these per task per run, whatever its status. */
export const taskSettledSchema = z
  .object({ ...taskKey, status: taskStatusSchema, attempts: z.number().int().nonnegative() })
  .strict();

/** What AGENT_INVOKED says of the task's validator. `peers`: how many other models a consensus asks. */
export const invokedValidatorSchema = z
  .object({
    kind: z.enum(['command', 'predicate', 'consensus']),
    peers: z.number().int().min(1).max(2).optional(),
  })
  .strict();

/**
 * What a consensus validator compared: the attempt's answer (null when none could be read from the
 * output) and each peer asked, in order (asking stops at the first dissent). No peers: nothing was asked.
 */
export const consensusSchema = z
  .object({
    answer: z.string().max(200).nullable(),
    peers: z.array(
      z
        .object({
          model: z.string(),
          answer: z.string().max(200).nullable(),
          agreed: z.boolean(),
          costMicroUsd: z.number().int().nonnegative(),
        })
        .strict(),
    ),
  })
  .strict();

/** The request a router answers with MODEL_SELECTED (same runId, taskId, attempt). */
export const agentInvokedSchema = z
  .object({
    ...attemptKey,
    workflowId: z.string(),
    agent: z.string(),
    phase: z.string().optional(),
    priority: prioritySchema,
    /** The task's text: rendered prompt, else description, else its id; at most 8,000 characters. */
    text: z.string(),
    /** Characters of the task's resolved input and prompt: the context the model will read. */
    contextChars: z.number().int().nonnegative(),
    hints: z.record(z.string(), jsonSchema),
    tier: tierRangeSchema.optional(),
    /** The tier the tier-upgrade subscriber asked for after a failed attempt. */
    requestedTier: tierSchema.optional(),
    pinnedModel: z.string().optional(),
    defaultModel: modelRefSchema.optional(),
    /** Models already tried in this task's attempt chain; a router must not pick them again. */
    excludeModels: z.array(z.string()),
    /** True for agents that call no model (tier 0, like `shell`): the coordinator awaits no answer. */
    deterministic: z.boolean().optional(),
    sessionId: z.string().optional(),
    /** The task's validator, when it has one: the router may plan around it (a consensus needs peers). */
    validator: invokedValidatorSchema.optional(),
    /** Attempts the task can still reach in all (its `retries` + 1, less provider retries already spent): a plan must fit in them. */
    maxAttempts: z.number().int().positive().optional(),
  })
  .strict();

/** The request the cost tracker answers with ADMISSION_DECIDED. */
export const admissionRequestedSchema = z
  .object({
    ...attemptKey,
    workflowId: z.string(),
    model: modelRefSchema,
    priority: prioritySchema,
    category: z.string().optional(),
    /** The router's estimate, when a router answered. */
    estimatedCostMicroUsd: z.number().int().nonnegative().optional(),
    sessionId: z.string().optional(),
  })
  .strict();

export const agentCompletedSchema = z
  .object({
    ...attemptKey,
    agent: z.string(),
    model: modelRefSchema.optional(),
    usage: usageSchema,
    costMicroUsd: z.number().int().nonnegative(),
    /** True when usage was unknown and the cost is the reserved estimate. */
    costEstimated: z.boolean(),
    latencyMs: z.number().nonnegative(),
    quality: z.number().min(0).max(1).optional(),
    simulated: z.boolean(),
    /** For a task validated by consensus: the answers compared (peers' costs are in `costMicroUsd`). */
    consensus: consensusSchema.optional(),
  })
  .strict();

export const agentFailedSchema = z
  .object({
    ...attemptKey,
    agent: z.string(),
    model: modelRefSchema.optional(),
    error: eventErrorSchema,
    retryable: z.boolean(),
    /** Whether the coordinator has an attempt left for this task. */
    willRetry: z.boolean(),
    usage: usageSchema,
    costMicroUsd: z.number().int().nonnegative(),
    costEstimated: z.boolean(),
    latencyMs: z.number().nonnegative(),
    simulated: z.boolean(),
    consensus: consensusSchema.optional(),
  })
  .strict();
