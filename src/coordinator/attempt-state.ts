import type { AgentContext, LlmRequest, LlmResponse } from '../agents/types.ts';
import { OrchestratorError } from '../errors.ts';
import type { EventPayload } from '../events/events.ts';
import type { Json, ModelRef, Usage } from '../events/vocabulary.ts';
import type { Logger } from '../log.ts';
import { attemptsOfError, isUsagePartial, usageOfError } from '../providers/call-error.ts';
import type { GenerateResult } from '../providers/types.ts';
import type { AttemptOutcome, AttemptServices } from './executor.ts';
import type { Consensus, RunContext, Selection, Unit } from './state.ts';
import { checkTaskBudget } from './task-budget.ts';
import { addUsage, hasTokens } from './usage.ts';

const emptyUsage: Usage = Object.freeze({});
const noModels: readonly string[] = Object.freeze([]);

/**
 * The state of one attempt: its abort side, what its model calls spent, and the services its
 * handler sees. One object per attempt, and a class so that its accessors live on the prototype:
 * this is created once per task on the hot path. The AbortController and the child logger are made
 * only when the handler (or a wait) asks for them.
 */
export class Attempt implements AttemptServices {
  readonly context: RunContext;
  readonly unit: Unit;
  readonly number: number;
  selection: Selection;
  aborted = false;
  reason: unknown;
  /** Ends the wait for the handler; set while it runs, called by the first `abort`. */
  settle: ((outcome: AttemptOutcome) => void) | undefined;
  /** What the attempt's model calls spent; a shared empty object until the first call. */
  usage: Usage = emptyUsage;
  costMicroUsd = 0;
  /** Calls (or handler-reported usage) whose price was unknown. */
  unpriced = 0;
  simulated = false;
  /** Model calls made through `llm`, and the provider requests they made (in-call retries included). */
  calls = 0;
  providerRequests = 0;
  /** When the handler was started (the attempt, before any decision wait). */
  startedAt = 0;
  /** The router's answer, when one is awaited. */
  reply: Promise<EventPayload<'MODEL_SELECTED'> | undefined> | undefined;
  /** Micro-USD the cost tracker reserved for this attempt, if it said. */
  reserved: number | undefined;
  /** Stops the pending timeout or deadline timer. */
  timer: AbortController | undefined;
  /** The last request the handler sent through `llm`: what a consensus asks its peers. */
  lastRequest: LlmRequest | undefined;
  /** What a consensus validator compared, for the attempt's end event. */
  consensus: Consensus | undefined;
  /** Models a consensus asked in this attempt; a retry excludes them with the attempt's own model. */
  peersAsked: readonly string[] = noModels;
  #controller: AbortController | undefined;
  #llm: ((request: LlmRequest | string) => Promise<LlmResponse>) | undefined;
  #log: Logger | undefined;

  constructor(context: RunContext, unit: Unit, number: number, selection: Selection) {
    this.context = context;
    this.unit = unit;
    this.number = number;
    this.selection = selection;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    this.settle?.({ ok: false, error: reason });
  }

  get llm(): (request: LlmRequest | string) => Promise<LlmResponse> {
    this.#llm ??= (request) => {
      this.lastRequest = typeof request === 'string' ? { prompt: request } : request;
      return this.call(request);
    };
    return this.#llm;
  }

  get log(): Logger {
    this.#log ??= this.context.log.child({ taskId: this.unit.id, attempt: this.number });
    return this.#log;
  }

  /**
   * One model call, counted once, on the attempt's model or on `on` (a consensus peer): through the
   * model's provider, under the task budget and the attempt's signal, its usage and cost the attempt's.
   */
  async call(request: LlmRequest | string, on?: ModelRef): Promise<LlmResponse> {
    if (this.aborted) throw this.reason;
    const model = on ?? this.selection.model;
    const { definition } = this.unit.record;
    if (model === undefined) {
      throw new OrchestratorError(
        'ROUTING_NO_MODEL',
        `Task "${this.unit.id}" called ctx.llm, but no model was chosen for it.`,
        {
          hint: `Configure a default model, or give agent "${definition.agent}" a defaultModel; deterministic agents cannot call models.`,
        },
      );
    }
    const asked = typeof request === 'string' ? { prompt: request } : request;
    // The first call was checked with its estimate before admission; later ones see what is spent.
    if (this.calls > 0) checkTaskBudget(this.unit.record, this, 0);
    this.calls++;
    let result: GenerateResult;
    try {
      result = await this.context.providerFor(model).generate({ ...asked, model, signal: this.signal });
    } catch (error) {
      // A failed call may still have spent tokens (an aborted stream read its input).
      const spent = usageOfError(error);
      if (spent !== undefined && hasTokens(spent)) this.spend(model, spent);
      // A call cut off part-way spent tokens nobody reported: its cost is only known as the
      // reservation, so the attempt is booked as estimated, never at the partial usage alone.
      if (isUsagePartial(error)) this.unpriced++;
      this.providerRequests += attemptsOfError(error);
      throw error;
    }
    this.providerRequests += result.attempts ?? 1;
    if (this.aborted) throw this.reason;
    this.simulated ||= result.simulated;
    const costMicroUsd = this.spend(model, result.usage);
    return { text: result.text, usage: result.usage, costMicroUsd, model, simulated: result.simulated };
  }

  /** Adds usage to the attempt and prices it; returns the micro-USD, or undefined when unknown. */
  spend(model: ModelRef | undefined, usage: Usage): number | undefined {
    if (this.usage === emptyUsage) this.usage = {};
    addUsage(this.usage, usage);
    const cost = model === undefined || !hasTokens(usage) ? undefined : this.context.priceUsage(model, usage);
    if (cost === undefined || !Number.isFinite(cost) || cost < 0) {
      this.unpriced++;
      return undefined;
    }
    const rounded = Math.round(cost);
    this.costMicroUsd += rounded;
    return rounded;
  }
}

/**
 * The `ctx` a handler gets from the in-process executor: a view of the attempt, read through
 * accessors, so starting a handler copies nothing.
 */
export class AttemptContext implements AgentContext {
  readonly #attempt: Attempt;

  constructor(attempt: Attempt) {
    this.#attempt = attempt;
  }

  get runId(): string {
    return this.#attempt.context.runId;
  }

  get workflowId(): string {
    return this.#attempt.context.workflow.id;
  }

  get taskId(): string {
    return this.#attempt.unit.id;
  }

  get attempt(): number {
    return this.#attempt.number;
  }

  get idempotencyKey(): string {
    return `${this.#attempt.context.runId}:${this.#attempt.unit.id}`;
  }

  get input(): Json | undefined {
    return this.#attempt.unit.input;
  }

  get prompt(): string | undefined {
    return this.#attempt.unit.prompt;
  }

  get item(): Json | undefined {
    return this.#attempt.unit.item;
  }

  get model(): ModelRef | undefined {
    return this.#attempt.selection.model;
  }

  get seed(): number | undefined {
    return this.#attempt.context.seed;
  }

  get llm(): (request: LlmRequest | string) => Promise<LlmResponse> {
    return this.#attempt.llm;
  }

  get signal(): AbortSignal {
    return this.#attempt.signal;
  }

  get log(): Logger {
    return this.#attempt.log;
  }

  /** The plain fields, for logging or serialising a ctx. */
  toJSON(): Record<string, unknown> {
    const { runId, workflowId, taskId, attempt, idempotencyKey, input, prompt, item, model, seed } = this;
    return { runId, workflowId, taskId, attempt, idempotencyKey, input, prompt, item, model, seed };
  }
}
