import type { OutcomeRecord } from '../../src/learning/index.ts';

/** An outcome record with test defaults. */
export function outcome(overrides: Partial<OutcomeRecord> = {}): OutcomeRecord {
  return {
    runId: 'run-1',
    taskId: 'task-1',
    attempt: 1,
    workflowId: 'wf',
    agent: 'llm',
    taskType: 'coding',
    category: 'NORMAL',
    complexity: 5,
    model: 'small',
    provider: 'p',
    tier: 1,
    success: true,
    quality: undefined,
    errorCode: undefined,
    latencyMs: 10,
    costMicroUsd: 100,
    costEstimated: false,
    text: 'rename the variable in the parser',
    contextChars: 30,
    words: 6,
    source: 'run',
    recordedAt: 0,
    ...overrides,
  };
}

/** A tested attempt (validator `command`): passing scores quality 1, failing is VALIDATION_FAILED. */
export function testedOutcome(
  model: string,
  passed: boolean,
  overrides: Partial<OutcomeRecord> = {},
): OutcomeRecord {
  return outcome({
    taskType: 'code',
    model,
    validator: 'command',
    success: passed,
    quality: passed ? 1 : 0,
    errorCode: passed ? undefined : 'VALIDATION_FAILED',
    ...overrides,
  });
}
