// The types of validators: what a predicate gets and returns, and the checked verdict.
import type { Json, ModelRef } from '../events/vocabulary.ts';
import type { Logger } from '../log.ts';

/** What a predicate gets besides the output: the attempt it judges. */
export type ValidatorContext = {
  runId: string;
  workflowId: string;
  taskId: string;
  attempt: number;
  /** The task's rendered input and prompt, and the current `foreach` item. */
  input: Json | undefined;
  prompt: string | undefined;
  item: Json | undefined;
  /** The model that produced the output; undefined for tier-0 agents. */
  model: ModelRef | undefined;
  /** Aborts on the attempt's timeout, deadline or run cancellation. */
  signal: AbortSignal;
  log: Logger;
};

/** `true`/`false`, or a verdict with a quality (0-1) and a reason for the failure message. */
export type ValidatorVerdict = boolean | { ok: boolean; quality?: number; reason?: string };

/** A predicate validator: judges one output. Throwing counts as a failed validation. */
export type ValidatorPredicate = (
  output: Json,
  ctx: ValidatorContext,
) => ValidatorVerdict | Promise<ValidatorVerdict>;

/** A checked verdict: pass or fail, with the quality and reason it gave. */
export type Validation = { ok: boolean; quality: number | undefined; reason: string | undefined };
