import type { ModelRef, Usage } from '../events/vocabulary.ts';

/** What an agent asks of a model. */
export type GenerateRequest = {
  model: ModelRef;
  prompt: string;
  system?: string;
  maxOutputTokens?: number;
  temperature?: number;
  signal: AbortSignal;
  /** Called with each piece of text as it streams in; absent means no streaming. */
  onText?: (delta: string) => void;
};

/** What a model answered; `usage` holds what the provider reported, unknown left undefined. */
export type GenerateResult = {
  text: string;
  usage: Usage;
  /** True when no real model answered: the offline simulation. */
  simulated: boolean;
  finishReason: 'stop' | 'length' | 'error' | 'aborted' | 'other';
  /** Provider requests this call made, in-call retries included; counts against the task's attempt budget. */
  attempts?: number;
};

/** A source of model answers: a vendor adapter, the offline simulation, or a test double. */
export type Provider = {
  name: string;
  generate: (request: GenerateRequest) => Promise<GenerateResult>;
};
