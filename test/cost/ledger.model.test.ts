// Model-based test: random sequences of reserve, settle, cancel, lease expiry and window rollover
// agree with an in-memory model of the rules, and the ledger's invariants hold after every step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../src/cost/ledger.ts';
import { OrchestratorError } from '../../src/errors.ts';
import { prioritySchema } from '../../src/events/vocabulary.ts';
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

class Reserve implements Command {
  constructor(
    readonly slot: number,
    readonly amount: number,
    readonly tokens: number,
    readonly priority: 'low' | 'normal' | 'high' | 'critical',
  ) {}
  check = () => true;
  run(model: LedgerModel, real: Real): void {
    const expected = modelReserve(model, ref(this.slot).taskId, this.amount, this.tokens, this.priority);
    const result = real.ledger.reserve({
      ...ref(this.slot),
      subject,
      priority: this.priority,
      amountMicroUsd: this.amount,
      tokens: this.tokens,
    });
    expect(result.status).toBe(expected);
    checkInvariants(model, real);
  }
  toString = () => `reserve(${this.slot}, $${this.amount}, ${this.tokens} tok, ${this.priority})`;
}

class Settle implements Command {
  constructor(
    readonly slot: number,
    readonly actual: { cost: number; tokens: number } | undefined,
  ) {}
  check = () => true;
  run(model: LedgerModel, real: Real): void {
    const expected = modelSettle(model, ref(this.slot).taskId, this.actual);
    const settle = () =>
      real.ledger.settle({
        ...ref(this.slot),
        outcome: 'completed',
        costMicroUsd: this.actual?.cost,
        inputTokens: this.actual?.tokens,
        outputTokens: this.actual === undefined ? undefined : 0,
        subject,
        fallbackMicroUsd,
        fallbackTokens,
      });
    if (expected === 'duplicate') {
      expect(settle).toThrow(OrchestratorError);
    } else {
      expect(settle()).toMatchObject({ costMicroUsd: expected, estimated: this.actual === undefined });
    }
    checkInvariants(model, real);
  }
  toString = () =>
    `settle(${this.slot}, ${this.actual === undefined ? 'unknown' : JSON.stringify(this.actual)})`;
}

class Cancel implements Command {
  constructor(readonly slot: number) {}
  check = () => true;
  run(model: LedgerModel, real: Real): void {
    expect(real.ledger.cancel(ref(this.slot))).toBe(modelCancel(model, ref(this.slot).taskId));
    checkInvariants(model, real);
  }
  toString = () => `cancel(${this.slot})`;
}

class Advance implements Command {
  constructor(readonly ms: number) {}
  check = () => true;
  run(model: LedgerModel, real: Real): void {
    model.now += this.ms;
    real.clock.now += this.ms;
  }
  toString = () => `advance(${this.ms}ms)`;
}

class ReleaseExpired implements Command {
  check = () => true;
  run(model: LedgerModel, real: Real): void {
    expect(real.ledger.releaseExpired()).toBe(modelReleaseExpired(model));
    checkInvariants(model, real);
  }
  toString = () => 'releaseExpired()';
}

const slot = fc.integer({ min: 0, max: 4 });
const commands = [
  fc
    .tuple(
      slot,
      fc.integer({ min: 0, max: 6_000 }),
      fc.integer({ min: 0, max: 3_000 }),
      fc.constantFrom(...prioritySchema.options),
    )
    .map(([s, amount, tokens, priority]) => new Reserve(s, amount, tokens, priority)),
  fc
    .tuple(
      slot,
      fc.option(
        fc.record({ cost: fc.integer({ min: 0, max: 6_000 }), tokens: fc.integer({ min: 0, max: 3_000 }) }),
        { nil: undefined },
      ),
    )
    .map(([s, actual]) => new Settle(s, actual)),
  slot.map((s) => new Cancel(s)),
  fc
    .oneof(
      fc.constantFrom(1, 999, 1_000, 1_001, 3_600_000, 86_400_000),
      fc.integer({ min: 0, max: 7_200_000 }),
    )
    .map((ms) => new Advance(ms)),
  fc.constant(new ReleaseExpired()),
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
