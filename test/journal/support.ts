// Helpers for journal tests: a fresh state database, a ledger, and the events of one attempt.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { defaultBudgetConfig } from '../../src/config/budgets.ts';
import { createLedger, type Ledger } from '../../src/cost/ledger.ts';
import type { EventBus } from '../../src/events/bus.ts';
import type { Json } from '../../src/events/vocabulary.ts';
import { openStateDatabase, type StateDatabase } from '../../src/store/index.ts';

const directory = mkdtempSync(join(tmpdir(), 'tierflow-journal-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let count = 0;

/** A new state database file and a ledger on it. */
export function freshState(): { path: string; db: StateDatabase; ledger: Ledger } {
  const path = join(directory, `state-${++count}.db`);
  const db = openStateDatabase(path);
  return { path, db, ledger: createLedger({ db, config: defaultBudgetConfig }) };
}

export const model = { id: 'sim-base', provider: 'simulation', tier: 2 } as const;

/** The events of one attempt, as the coordinator, router and cost tracker emit them. */
export function attemptEvents(bus: EventBus, ledger: Ledger, runId: string, taskId: string, attempt: number) {
  const key = { runId, taskId, attempt };
  return {
    invoke: () =>
      bus.emit('AGENT_INVOKED', {
        ...key,
        workflowId: 'flow',
        agent: 'llm',
        priority: 'normal',
        text: `do ${taskId}`,
        contextChars: 10,
        hints: {},
        excludeModels: [],
        sessionId: 'session-1',
      }),
    admit: (amountMicroUsd: number) => {
      ledger.reserve({
        ...key,
        subject: { sessionId: 'session-1', workflowId: 'flow', category: undefined, modelId: model.id },
        priority: 'normal',
        amountMicroUsd,
        tokens: 100,
      });
      bus.emit('ADMISSION_DECIDED', {
        ...key,
        decision: 'allowed',
        reason: 'ok',
        reservedMicroUsd: amountMicroUsd,
      });
    },
    complete: (costMicroUsd: number) =>
      bus.emit('AGENT_COMPLETED', {
        ...key,
        agent: 'llm',
        model,
        usage: { inputTokens: 10, outputTokens: 20 },
        costMicroUsd,
        costEstimated: false,
        latencyMs: 5,
        simulated: true,
      }),
    fail: (costMicroUsd: number, code = 'SIMULATED_FAILURE') =>
      bus.emit('AGENT_FAILED', {
        ...key,
        agent: 'llm',
        model,
        error: { code, message: 'it failed' },
        retryable: true,
        willRetry: true,
        usage: { inputTokens: 10, outputTokens: 5 },
        costMicroUsd,
        costEstimated: false,
        latencyMs: 5,
        simulated: true,
      }),
    succeed: (output: Json) => bus.emit('TASK_SUCCEEDED', { runId, taskId, attempts: attempt, output }),
  };
}

export function rows(db: StateDatabase, sql: string, ...params: (string | number)[]): unknown[] {
  return db.prepare(sql).all(...params);
}
