// Model-based test: random sequences of reserve, settle, cancel, lease expiry and window rollover
// agree with an in-memory model of the rules, and the ledger's invariants hold after every step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../src/cost/ledger.ts';
import { OrchestratorError } from '../../src/errors.ts';
import { type Priority, prioritySchema } from '../../src/events/vocabulary.ts';
import { openStateDatabase, type StateDatabase } from '../../src/store/index.ts';
import {
  counterId,
  emptyModel,
  fallbackMicroUsd,
  fallbackTokens,
  type LedgerModel,
  modelCancel,
  modelConfig,
  modelReleaseExpired,
  modelReserve,
  modelSettle,
} from './ledger-model.ts';

type Real = { db: StateDatabase; ledger: Ledger; clock: { now: number } };
type Command = fc.Command<LedgerModel, Real>;

const ref = (slot: number) => ({ runId: 'run', taskId: `task-${slot}`, attempt: 1 });
const subject = { sessionId: 's', workflowId: 'wf', category: undefined, modelId: 'm' };

function checkInvariants(model: LedgerModel, real: Real): void {
  const rows = real.db.prepare('SELECT budget, period, spent, reserved FROM budget_counters').all() as {
    budget: string;
    period: string;
    spent: number;
    reserved: number;
  }[];
  const actual = new Map(
    rows.map((row) => [counterId(row.budget, row.period), { spent: row.spent, reserved: row.reserved }]),
  );
  for (const [id, expected] of model.counters) {
    expect(actual.get(id) ?? { spent: 0, reserved: 0 }, id).toEqual(expected);
  }
  for (const row of rows) expect(row.reserved).toBeGreaterThanOrEqual(0);
  const ledgerTotal = real.db
    .prepare('SELECT COALESCE(SUM(cost_micro_usd), 0) AS total FROM ledger')
    .get() as { total: number };
  const spentTotal = rows
    .filter((row) => row.budget === 'usd-hourly')
    .reduce((sum, row) => sum + row.spent, 0);
  expect(ledgerTotal.total).toBe(spentTotal);
  expect(ledgerTotal.total).toBe([...model.booked.values()].reduce((sum, cost) => sum + cost, 0));
}

function command(name: string, run: (model: LedgerModel, real: Real) => void): Command {
  return { check: () => true, run, toString: () => name };
}

const reserve = (slot: number, amount: number, tokens: number, priority: Priority): Command =>
  command(`reserve(${slot}, ${amount} micro-USD, ${tokens} tok, ${priority})`, (model, real) => {
    const expected = modelReserve(model, ref(slot).taskId, amount, tokens, priority);
    const result = real.ledger.reserve({ ...ref(slot), subject, priority, amountMicroUsd: amount, tokens });
    expect(result.status).toBe(expected);
    checkInvariants(model, real);
  });

const settle = (slot: number, actual: { cost: number; tokens: number } | undefined): Command =>
  command(`settle(${slot}, ${actual === undefined ? 'unknown' : JSON.stringify(actual)})`, (model, real) => {
    const expected = modelSettle(model, ref(slot).taskId, actual);
    const book = () =>
      real.ledger.settle({
        ...ref(slot),
        outcome: 'completed',
        costMicroUsd: actual?.cost,
        inputTokens: actual?.tokens,
        outputTokens: actual === undefined ? undefined : 0,
        subject,
        fallbackMicroUsd,
        fallbackTokens,
      });
    if (expected === 'duplicate') expect(book).toThrow(OrchestratorError);
    else expect(book()).toMatchObject({ costMicroUsd: expected, estimated: actual === undefined });
    checkInvariants(model, real);
  });

const cancel = (slot: number): Command =>
  command(`cancel(${slot})`, (model, real) => {
    expect(real.ledger.cancel(ref(slot))).toBe(modelCancel(model, ref(slot).taskId));
    checkInvariants(model, real);
  });

const advance = (ms: number): Command =>
  command(`advance(${ms}ms)`, (model, real) => {
    model.now += ms;
    real.clock.now += ms;
  });

const releaseExpired = (): Command =>
  command('releaseExpired()', (model, real) => {
    expect(real.ledger.releaseExpired()).toBe(modelReleaseExpired(model));
    checkInvariants(model, real);
  });

const slot = fc.integer({ min: 0, max: 4 });
const commands = [
  fc
    .tuple(
      slot,
      fc.integer({ min: 0, max: 6_000 }),
      fc.integer({ min: 0, max: 3_000 }),
      fc.constantFrom(...prioritySchema.options),
    )
    .map(([s, amount, tokens, priority]) => reserve(s, amount, tokens, priority)),
  fc
    .tuple(
      slot,
      fc.option(
        fc.record({ cost: fc.integer({ min: 0, max: 6_000 }), tokens: fc.integer({ min: 0, max: 3_000 }) }),
        { nil: undefined },
      ),
    )
    .map(([s, actual]) => settle(s, actual)),
  slot.map((s) => cancel(s)),
  fc
    .oneof(
      fc.constantFrom(1, 999, 1_000, 1_001, 3_600_000, 86_400_000),
      fc.integer({ min: 0, max: 7_200_000 }),
    )
    .map((ms) => advance(ms)),
  fc.constant(null).map(() => releaseExpired()),
];

describe('ledger against its model', () => {
  it('agrees on every decision and every counter, across leases and window rollovers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3_599_999 }),
        fc.commands(commands, { maxCommands: 60 }),
        (offset, sequence) => {
          const start = Date.UTC(2026, 10, 30, 22, 0) + offset; // near the end of a day and a month
          const clock = { now: start };
          const db = openStateDatabase(':memory:');
          const real: Real = {
            db,
            ledger: createLedger({
              db,
              config: modelConfig,
              clock: { now: () => clock.now },
              owner: 'model',
            }),
            clock,
          };
          try {
            fc.modelRun(() => ({ model: emptyModel(start), real }), sequence);
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
