import { describe, expect, it } from 'vitest';
import { OrchestratorError } from '../../src/errors.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { crashHookFromEnv } from '../../src/journal/crash-hook.ts';
import { createRunJournal } from '../../src/journal/journal.ts';
import { recordEvents } from '../../src/testing.ts';
import { flow } from './fixtures.ts';
import { attemptEvents, freshState, rows } from './support.ts';

function setup(now = { value: 1_000 }) {
  const state = freshState();
  const bus = createEventBus();
  const journal = createRunJournal({ db: state.db, ledger: state.ledger, clock: { now: () => now.value } });
  journal.subscribe(bus);
  return { ...state, bus, journal, now };
}

function catchError(work: () => unknown): OrchestratorError {
  try {
    work();
  } catch (error) {
    if (error instanceof OrchestratorError) return error;
    throw error;
  }
  throw new Error('expected an OrchestratorError');
}

describe('recording a run', () => {
  it('commits an attempt, its output and its ledger booking together when the task succeeds', () => {
    const { db, bus, journal, ledger } = setup();
    journal.begin({ runId: 'r1', workflow: flow(), input: { goal: 'x' }, seed: 7, sessionId: 'session-1' });
    const scout = attemptEvents(bus, ledger, 'r1', 'scout', 1);
    scout.invoke();
    scout.admit(900);
    scout.complete(120);
    expect(rows(db, 'SELECT * FROM journal_completions')).toEqual([]);
    expect(rows(db, 'SELECT * FROM ledger')).toEqual([]);
    scout.succeed({ files: ['a.ts'] });
    expect(
      rows(
        db,
        'SELECT task_id, attempt, status, output, cost_micro_usd, cost_estimated FROM journal_completions',
      ),
    ).toEqual([
      {
        task_id: 'scout',
        attempt: 1,
        status: 'succeeded',
        output: '{"files":["a.ts"]}',
        cost_micro_usd: 120,
        cost_estimated: 0,
      },
    ]);
    expect(rows(db, 'SELECT task_id, attempt, cost_micro_usd FROM ledger')).toEqual([
      { task_id: 'scout', attempt: 1, cost_micro_usd: 120 },
    ]);
    expect(rows(db, 'SELECT * FROM reservations')).toEqual([]);
    expect(rows(db, 'SELECT task_id, status, attempts FROM journal_tasks')).toEqual([
      { task_id: 'scout', status: 'succeeded', attempts: 1 },
    ]);
  });

  it('rejects a second completion of the same attempt and applies nothing of it', () => {
    const { db, bus, journal, ledger } = setup();
    const recording = recordEvents(bus);
    journal.begin({ runId: 'r1', workflow: flow(), input: {} });
    const scout = attemptEvents(bus, ledger, 'r1', 'scout', 1);
    scout.invoke();
    scout.admit(900);
    scout.complete(120);
    scout.succeed('first');
    scout.complete(500);
    scout.succeed('second');
    const failures = recording.ofType('SUBSCRIBER_FAILED');
    expect(failures.map((failure) => failure.error)).toEqual([
      {
        code: 'LEDGER_DUPLICATE',
        message: 'The ledger already holds attempt 1 of task "scout" in run "r1"; it is booked once.',
      },
    ]);
    expect(rows(db, 'SELECT output, cost_micro_usd FROM journal_completions')).toEqual([
      { output: '"first"', cost_micro_usd: 120 },
    ]);
    expect(rows(db, 'SELECT SUM(cost_micro_usd) AS total, COUNT(*) AS n FROM ledger')).toEqual([
      { total: 120, n: 1 },
    ]);
    expect(rows(db, 'SELECT output FROM journal_tasks')).toEqual([{ output: '"first"' }]);
  });

  it('rejects a second completion even without a ledger', () => {
    const { db } = freshState();
    const bus = createEventBus();
    const journal = createRunJournal({ db });
    journal.subscribe(bus);
    const recording = recordEvents(bus);
    journal.begin({ runId: 'r1', workflow: flow(), input: {} });
    const fake = attemptEvents(bus, freshState().ledger, 'r1', 'scout', 1);
    fake.invoke();
    fake.complete(120);
    fake.succeed('first');
    fake.complete(120);
    fake.succeed('second');
    expect(recording.ofType('SUBSCRIBER_FAILED').map((failure) => failure.error)).toMatchInlineSnapshot(`
      [
        {
          "code": "JOURNAL_DUPLICATE_COMPLETION",
          "message": "Attempt 1 of task "scout" in run "r1" is already committed; the second completion was rejected.",
        },
      ]
    `);
    expect(rows(db, 'SELECT output FROM journal_completions')).toEqual([{ output: '"first"' }]);
  });

  it('commits a failed attempt with its cost at once, and ends the run releasing the lease', () => {
    const { db, bus, journal, ledger } = setup();
    journal.begin({ runId: 'r1', workflow: flow(), input: {} });
    const first = attemptEvents(bus, ledger, 'r1', 'scout', 1);
    first.invoke();
    first.admit(900);
    first.fail(40);
    expect(rows(db, 'SELECT status, error, cost_micro_usd FROM journal_completions')).toEqual([
      { status: 'failed', error: '{"code":"SIMULATED_FAILURE","message":"it failed"}', cost_micro_usd: 40 },
    ]);
    expect(rows(db, 'SELECT outcome, cost_micro_usd FROM ledger')).toEqual([
      { outcome: 'failed', cost_micro_usd: 40 },
    ]);
    bus.emit('WORKFLOW_FAILED', {
      runId: 'r1',
      workflowId: 'flow',
      durationMs: 1,
      succeeded: 0,
      failed: 1,
      skipped: 3,
      cancelled: 0,
      failedTasks: ['scout'],
    });
    expect(rows(db, 'SELECT status, ended_at FROM journal_runs')).toEqual([
      { status: 'failed', ended_at: 1000 },
    ]);
    expect(rows(db, 'SELECT token, expires_at FROM journal_leases')).toEqual([{ token: 1, expires_at: 0 }]);
  });

  it('refuses to begin a run whose id is already journalled', () => {
    const { journal } = setup();
    journal.begin({ runId: 'r1', workflow: flow(), input: {} });
    const error = catchError(() => journal.begin({ runId: 'r1', workflow: flow(), input: {} }));
    expect(`${error.code}: ${error.message}\n${error.hint}`).toMatchInlineSnapshot(`
      "CLI_INVALID_ARGUMENT: Run "r1" is already in the journal.
      Resume it with \`tierflow resume r1\`, or start a run with a new id."
    `);
    journal.close();
  });

  it('ignores the events of runs it does not coordinate', () => {
    const { db, bus, ledger } = setup();
    const other = attemptEvents(bus, ledger, 'elsewhere', 'scout', 1);
    other.invoke();
    other.complete(10);
    other.succeed('x');
    expect(rows(db, 'SELECT * FROM journal_attempts')).toEqual([]);
  });
});

describe('the crash hook', () => {
  it('kills at the n-th pass of the named point', () => {
    const kills: string[] = [];
    let passes = 0;
    const hook = crashHookFromEnv({ TIERFLOW_CRASH_AT: 'after-call:3' }, (message) =>
      kills.push(`${passes} ${message}`),
    );
    for (passes = 1; passes <= 5; passes++) {
      hook('before-call');
      hook('after-call');
    }
    expect(kills).toEqual(['3 tierflow: crash hook at after-call #3\n']);
  });

  it('is off when unset and names the points when the value is wrong', () => {
    expect(() => crashHookFromEnv({})('mid-settle')).not.toThrow();
    expect(
      catchError(() => crashHookFromEnv({ TIERFLOW_CRASH_AT: 'mid-call:0' })).message,
    ).toMatchInlineSnapshot(
      `"TIERFLOW_CRASH_AT is "mid-call:0"; expected <point>:<occurrence> with a point of "before-call" | "after-call" | "mid-settle" | "after-commit" and an occurrence >= 1."`,
    );
  });

  it('passes each point where the journal stands at that moment', () => {
    const state = freshState();
    const bus = createEventBus();
    const seen: string[] = [];
    const journal = createRunJournal({
      db: state.db,
      ledger: state.ledger,
      crash: (point) => {
        const committed = rows(state.db, 'SELECT COUNT(*) AS n FROM journal_completions') as { n: number }[];
        seen.push(`${point}:${committed[0]?.n}`);
      },
    });
    journal.subscribe(bus);
    journal.begin({ runId: 'r1', workflow: flow(), input: {} });
    const scout = attemptEvents(bus, state.ledger, 'r1', 'scout', 1);
    scout.invoke();
    scout.admit(900);
    scout.complete(120);
    scout.succeed('done');
    expect(seen).toEqual(['before-call:0', 'after-call:0', 'mid-settle:0', 'after-commit:1']);
  });
});
