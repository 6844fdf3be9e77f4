import type { Json, ModelRef, Usage } from '../events/vocabulary.ts';
import type { Logger } from '../log.ts';

export type LlmRequest = {
  prompt: string;
  system?: string;
  maxOutputTokens?: number;
  temperature?: number;
  onText?: (delta: string) => void;
};

export type LlmResponse = {
  text: string;
  usage: Usage;
  /** The cost of this call at the catalog price; undefined when usage or price is unknown. */
  costMicroUsd: number | undefined;
  model: ModelRef;
  simulated: boolean;
};

/** What a handler gets for one attempt of one task. */
export type AgentContext = {
  runId: string;
  workflowId: string;
  taskId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Stable across attempts and resumes of the same task in the same run. */
  idempotencyKey: string;
  /** The task's `input`, templates rendered. */
  input: Json | undefined;
  /** The task's `prompt`, templates rendered. */
  prompt: string | undefined;
  /** The current item of a `foreach` task. */
  item: Json | undefined;
  /** The model chosen for this attempt; undefined for tier-0 agents that need none. */
  model: ModelRef | undefined;
  /** The run's seed, for handlers that draw random numbers; undefined when the run has none. */
  seed?: number | undefined;
  /** Calls the chosen model; usage and cost are added to this attempt's. */
  llm: (request: LlmRequest | string) => Promise<LlmResponse>;
  /** Aborts on timeout, deadline or run cancellation; pass it on to anything long-running. */
  signal: AbortSignal;
  log: Logger;
};

/** What a handler returns; `usage` is added to what `ctx.llm` calls already reported. */
export type AgentResult = {
  output: Json;
  /** 0-1, when the handler can judge its own result. */
  quality?: number;
  usage?: Usage;
};

/** An agent: an async function of one attempt. Throwing fails the attempt. */
export type AgentHandler = (ctx: AgentContext) => Promise<AgentResult>;

export type AgentOptions = {
  /** The model used when no router answers. @default the orchestrator's default model */
  defaultModel?: string;
  /** True for agents that never call a model (tier 0), like `shell`: no routing or admission. */
  deterministic?: boolean;
};

export type AgentRegistration = { name: string; handler: AgentHandler; options: AgentOptions };
