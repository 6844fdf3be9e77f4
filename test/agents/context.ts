// A hand-built AgentContext for calling built-in agents directly.
import type { AgentContext, LlmRequest, LlmResponse } from '../../src/agents/types.ts';
import type { Json } from '../../src/events/vocabulary.ts';
import { silentLogger } from '../../src/log.ts';

export function contextFor(
  input: Json | undefined,
  options: {
    prompt?: string;
    signal?: AbortSignal;
    llm?: (request: LlmRequest | string) => Promise<LlmResponse>;
  } = {},
): AgentContext {
  return {
    runId: 'run-1',
    workflowId: 'flow',
    taskId: 'task-1',
    attempt: 1,
    idempotencyKey: 'run-1:task-1',
    input,
    prompt: options.prompt,
    item: undefined,
    model: { id: 'mid-2', provider: 'fake', tier: 2 },
    llm:
      options.llm ??
      (async () => {
        throw new Error('no model in this test');
      }),
    signal: options.signal ?? new AbortController().signal,
    log: silentLogger,
  };
}
