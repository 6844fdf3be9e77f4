import type { AgentContext, AgentRegistration, LlmRequest, LlmResponse } from '../agents/types.ts';
import { OrchestratorError } from '../errors.ts';
import type { Json, ModelRef } from '../events/vocabulary.ts';
import type { Logger } from '../log.ts';

/** Everything about one attempt that can travel to another process: plain JSON. */
export type AttemptRequest = Omit<AgentContext, 'llm' | 'signal' | 'log' | 'seed'> & {
  agent: string;
  seed: number | undefined;
};

/**
 * What stays with the coordinator: the abort signal, model calls (their usage and cost are added to
 * the attempt) and the logger. A remote executor forwards cancellation and reports remote model
 * usage in its result instead. Read `signal` and `log` only when needed: both are made on first use.
 */
export type AttemptServices = {
  readonly signal: AbortSignal;
  readonly llm: (request: LlmRequest | string) => Promise<LlmResponse>;
  readonly log: Logger;
};

/** What came back: the handler's result as returned (checked by the coordinator), or what it threw. */
export type AttemptOutcome = { ok: true; result: unknown } | { ok: false; error: unknown };

/**
 * Runs one attempt of one handler. In-process by default; a queue-backed executor can run handlers
 * on other machines, so nothing here may assume the handler shares the coordinator's memory.
 */
export type Executor = {
  execute: (request: AttemptRequest, services: AttemptServices) => Promise<AttemptOutcome>;
  /**
   * Optional, for executors that run handlers in this process: the coordinator then hands over a
   * ready `ctx` instead of a request to copy (the hot path of the default executor).
   */
  runHere?: (agent: string, context: AgentContext) => Promise<AttemptOutcome>;
};

/** Where the in-process executor finds handlers. */
export type AgentLookup = {
  get: (name: string) => AgentRegistration | undefined;
  names?: () => readonly string[];
};

/** Runs handlers in this process; what a handler throws becomes a failed outcome, never an exception. */
export function createInProcessExecutor(agents: AgentLookup): Executor {
  const runHere = (agent: string, context: AgentContext): Promise<AttemptOutcome> => {
    const registration = agents.get(agent);
    if (registration === undefined) {
      const error = new OrchestratorError('AGENT_UNKNOWN', `No agent named "${agent}" is registered.`);
      return Promise.resolve({ ok: false, error });
    }
    try {
      return Promise.resolve(registration.handler(context)).then(succeeded, failed);
    } catch (error) {
      return Promise.resolve({ ok: false, error });
    }
  };
  return {
    execute: (request, services) => runHere(request.agent, new HandlerContext(request, services)),
    runHere,
  };
}

const succeeded = (result: unknown): AttemptOutcome => ({ ok: true, result });
const failed = (error: unknown): AttemptOutcome => ({ ok: false, error });

/** The `ctx` of an in-process handler; a class so its lazy accessors cost nothing per task. */
class HandlerContext implements AgentContext {
  readonly runId: string;
  readonly workflowId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly input: Json | undefined;
  readonly prompt: string | undefined;
  readonly item: Json | undefined;
  readonly model: ModelRef | undefined;
  readonly seed: number | undefined;
  readonly #services: AttemptServices;

  constructor(request: AttemptRequest, services: AttemptServices) {
    this.runId = request.runId;
    this.workflowId = request.workflowId;
    this.taskId = request.taskId;
    this.attempt = request.attempt;
    this.idempotencyKey = request.idempotencyKey;
    this.input = request.input;
    this.prompt = request.prompt;
    this.item = request.item;
    this.model = request.model;
    this.seed = request.seed;
    this.#services = services;
  }

  get llm(): (request: LlmRequest | string) => Promise<LlmResponse> {
    return this.#services.llm;
  }

  get signal(): AbortSignal {
    return this.#services.signal;
  }

  get log(): Logger {
    return this.#services.log;
  }
}
