import type { LlmRequest, LlmResponse } from '../agents/types.ts';
import { OrchestratorError } from '../errors.ts';
import type { ModelRef, Usage } from '../events/vocabulary.ts';
import type { Provider } from '../providers/types.ts';
import type { AttemptControl } from './attempt-control.ts';

const usageKeys = ['inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens'] as const;

/** Adds `more` into `total`; a count stays undefined until some call reports it. */
export function addUsage(total: Usage, more: Usage): void {
  for (const key of usageKeys) {
    const value = more[key];
    if (value !== undefined) total[key] = (total[key] ?? 0) + value;
  }
}

export function hasTokens(usage: Usage): boolean {
  return usage.inputTokens !== undefined || usage.outputTokens !== undefined;
}

/** What one attempt spent: usage and micro-USD over its model calls, and what could not be priced. */
export type Meter = {
  usage: Usage;
  costMicroUsd: number;
  /** Calls (or handler-reported usage) whose price was unknown. */
  unpriced: number;
  simulated: boolean;
  /** Prices usage a handler reported itself, on the attempt's model. */
  addReported: (usage: Usage) => void;
  llm: (request: LlmRequest | string) => Promise<LlmResponse>;
};

export type MeterOptions = {
  taskId: string;
  agent: string;
  model: () => ModelRef | undefined;
  control: AttemptControl;
  providerFor: (model: ModelRef) => Provider;
  priceUsage: (model: ModelRef, usage: Usage) => number | undefined;
};

/** Creates the meter behind `ctx.llm`: every call goes to the attempt's model and is counted once. */
export function createMeter(options: MeterOptions): Meter {
  const price = (model: ModelRef | undefined, usage: Usage) => {
    const cost = model === undefined || !hasTokens(usage) ? undefined : options.priceUsage(model, usage);
    if (cost === undefined || !Number.isFinite(cost) || cost < 0) {
      meter.unpriced++;
      return undefined;
    }
    meter.costMicroUsd += Math.round(cost);
    return Math.round(cost);
  };
  const meter: Meter = {
    usage: {},
    costMicroUsd: 0,
    unpriced: 0,
    simulated: false,
    addReported: (usage) => {
      addUsage(meter.usage, usage);
      if (hasTokens(usage)) price(options.model(), usage);
    },
    llm: async (request) => {
      const { control } = options;
      if (control.aborted) throw control.reason;
      const model = options.model();
      if (model === undefined) {
        throw new OrchestratorError(
          'ROUTING_NO_MODEL',
          `Task "${options.taskId}" called ctx.llm, but no model was chosen for it.`,
          {
            hint: `Configure a default model, or give agent "${options.agent}" a defaultModel; deterministic agents cannot call models.`,
          },
        );
      }
      const asked = typeof request === 'string' ? { prompt: request } : request;
      const result = await options.providerFor(model).generate({ ...asked, model, signal: control.signal });
      if (control.aborted) throw control.reason;
      addUsage(meter.usage, result.usage);
      meter.simulated ||= result.simulated;
      const costMicroUsd = price(model, result.usage);
      return { text: result.text, usage: result.usage, costMicroUsd, model, simulated: result.simulated };
    },
  };
  return meter;
}
