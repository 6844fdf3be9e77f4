import { describe, expect, it } from 'vitest';
import { OrchestratorError } from '../../src/errors.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { createRunJournal } from '../../src/journal/journal.ts';
import { flow } from './fixtures.ts';
import { attemptEvents, freshState, rows } from './support.ts';

function catchError(work: () => unknown): OrchestratorError {
  try {
    work();
  } catch (error) {
    if (error instanceof OrchestratorError) return error;
    throw error;
  }
  throw new Error('expected an OrchestratorError');
}

/** A run that crashed: scout and docs succeeded, plan failed once and was in flight on attempt 2. */
function crashedRun(leaseMs = 1_000) {
  const state = freshState();
  const now = { value: 10_000 };
  const clock = { now: () => now.value };
  const bus = createEventBus();
  const first = createRunJournal({ db: state.db, ledger: state.ledger, clock, leaseMs, owner: 'host-a:1:a' });
  first.subscribe(bus);
  const started = first.begin({
    runId: 'r1',
    workflow: flow(),
    input: { goal: 'x' },
    sessionId: 'session-1',
  });
  const scout = attemptEvents(bus, state.ledger, 'r1', 'scout', 1);
  scout.invoke();
  scout.admit(900);
  scout.complete(100);
  scout.succeed({ files: 2 });
  const docs = attemptEvents(bus, state.ledger, 'r1', 'docs', 1);
  docs.invoke();
  docs.admit(900);
  docs.complete(50);
  docs.succeed('docs done');
  const plan1 = attemptEvents(bus, state.ledger, 'r1', 'plan', 1);
  plan1.invoke();
  plan1.admit(900);
  plan1.fail(30);
  const plan2 = attemptEvents(bus, state.ledger, 'r1', 'plan', 2);
  plan2.invoke();
  plan2.admit(700);
  first.close();
  return { ...state, now, clock, bus, first, started };
}

describe('resume', () => {
  it('skips succeeded tasks with their outputs, books in-flight attempts at their reservation and continues the numbering', () => {
    const { db, ledger, now, clock } = crashedRun();
    now.value += 1_001;
    const second = createRunJournal({ db, ledger, clock, owner: 'host-b:2:b' });
    const { plan, record, run } = second.resume('r1', flow());
    expect(plan).toEqual({
      succeeded: { scout: { output: { files: 2 }, attempts: 1 }, docs: { output: 'docs done', attempts: 1 } },
      attempts: {
        scout: { last: 1, counted: 0 },
        docs: { last: 1, counted: 0 },
        plan: { last: 2, counted: 1 },
      },
      lost: [{ taskId: 'plan', attempt: 2, costMicroUsd: 700 }],
      rerun: [],
      changes: { changed: [], added: [], removed: [], settings: false },
    });
    expect(record).toMatchObject({ input: { goal: 'x' }, sessionId: 'session-1', status: 'running' });
    expect(run.token).toBe(2);
    expect(
      rows(
        db,
        "SELECT task_id, attempt, outcome, cost_micro_usd, estimated FROM ledger WHERE task_id = 'plan'",
      ),
    ).toEqual([
      { task_id: 'plan', attempt: 1, outcome: 'failed', cost_micro_usd: 30, estimated: 0 },
      { task_id: 'plan', attempt: 2, outcome: 'unknown', cost_micro_usd: 700, estimated: 1 },
    ]);
    expect(rows(db, 'SELECT resumes, status FROM journal_runs')).toEqual([{ resumes: 1, status: 'running' }]);
    second.close();
  });

  it('refuses a second coordinator while the first holds the lease, and lets it take over once the lease expires', () => {
    const { db, ledger, now, clock, bus, started } = crashedRun(5_000);
    const lostBy: string[] = [];
    started.onLeaseLost((error) => lostBy.push(error.message));
    const second = createRunJournal({ db, ledger, clock, owner: 'host-b:2:b' });
    const refused = catchError(() => second.resume('r1', flow()));
    expect(refused.code).toBe('RUN_LEASE_HELD');
    expect(`${refused.message}\n${refused.hint}`).toMatchInlineSnapshot(`
      "Run "r1" is being run by another coordinator (host-a:1:a); its lease runs until 1970-01-01T00:00:15.000Z.
      Wait for that process to finish, or stop it; once its lease expires, \`tierflow resume\` takes over."
    `);
    expect(rows(db, "SELECT * FROM journal_completions WHERE status = 'lost'")).toEqual([]);
    now.value += 5_000;
    const { run } = second.resume('r1', flow());
    expect(run.token).toBe(2);
    // The first coordinator wakes up: its next write is fenced off and nothing of it is applied.
    const stale = attemptEvents(bus, ledger, 'r1', 'build', 1);
    stale.invoke();
    expect(lostBy).toEqual([
      'This coordinator lost the lease of run "r1" (fencing token 1 is stale); it stops without committing.',
    ]);
    expect(rows(db, "SELECT * FROM journal_attempts WHERE task_id = 'build'")).toEqual([]);
    second.close();
  });

  it('refuses a changed workflow, naming the changed, added and removed tasks', () => {
    const { db, ledger, now, clock } = crashedRun();
    now.value += 2_000;
    const second = createRunJournal({ db, ledger, clock });
    const changed = flow({ plan: { prompt: 'plan it differently' } });
    const edited = {
      ...changed,
      tasks: [...changed.tasks.filter((task) => task.id !== 'docs'), { ...changed.tasks[0]!, id: 'lint' }],
    };
    const error = catchError(() => second.resume('r1', edited));
    expect(error.code).toBe('RUN_WORKFLOW_CHANGED');
    expect(`${error.message}\n${error.hint}`).toMatchInlineSnapshot(`
      "/work/flows/flow.yaml changed since run "r1" started: changed tasks plan; added tasks lint; removed tasks docs.
      Resume with --force to re-run the changed tasks and their dependants, or start a new run."
    `);
    expect(rows(db, 'SELECT resumes FROM journal_runs')).toEqual([{ resumes: 0 }]);
    expect(rows(db, "SELECT * FROM journal_completions WHERE status = 'lost'")).toEqual([]);
  });

  it('with force, re-runs the changed tasks and their dependants', () => {
    const { db, ledger, now, clock } = crashedRun();
    now.value += 2_000;
    const second = createRunJournal({ db, ledger, clock });
    const { plan } = second.resume('r1', flow({ scout: { prompt: 'scout harder' } }), { force: true });
    // scout changed; plan and build need it but had not succeeded: only scout is undone.
    expect(plan.rerun).toEqual(['scout']);
    expect(Object.keys(plan.succeeded)).toEqual(['docs']);
    expect(rows(db, "SELECT task_id FROM journal_tasks WHERE status = 'succeeded'")).toEqual([
      { task_id: 'docs' },
    ]);
    second.close();
  });

  it('with force, undoes a succeeded dependant of a changed task too', () => {
    const { db, ledger, now, clock, bus } = crashedRun();
    const journal = createRunJournal({ db, ledger, clock });
    now.value += 2_000;
    journal.subscribe(bus);
    journal.resume('r1', flow());
    const plan2 = attemptEvents(bus, ledger, 'r1', 'plan', 3);
    plan2.invoke();
    plan2.complete(10);
    plan2.succeed('the plan');
    journal.close();
    now.value += 20_000;
    const third = createRunJournal({ db, ledger, clock });
    const { plan } = third.resume('r1', flow({ scout: { prompt: 'scout harder' } }), { force: true });
    expect(plan.rerun).toEqual(['scout', 'plan']);
    expect(Object.keys(plan.succeeded)).toEqual(['docs']);
    third.close();
  });

  it('keeps the succeeded items of a foreach task, unless the task changed', () => {
    const { db, ledger, now, clock, bus } = crashedRun();
    const journal = createRunJournal({ db, ledger, clock });
    now.value += 2_000;
    journal.subscribe(bus);
    journal.resume('r1', flow());
    for (const id of ['build[0]', 'build[1]']) {
      const item = attemptEvents(bus, ledger, 'r1', id, 1);
      item.invoke();
      item.complete(5);
      item.succeed(`${id} done`);
    }
    journal.close();
    now.value += 20_000;
    const kept = createRunJournal({ db, ledger, clock }).resume('r1', flow());
    expect(kept.plan.succeeded['build[1]']).toEqual({ output: 'build[1] done', attempts: 1 });
    kept.run.release();
    now.value += 20_000;
    const changed = createRunJournal({ db, ledger, clock }).resume(
      'r1',
      flow({ build: { prompt: 'other' } }),
      {
        force: true,
      },
    );
    expect(Object.keys(changed.plan.succeeded).sort()).toEqual(['docs', 'scout']);
    changed.run.release();
  });

  it('names a settings change, a missing run and a finished one', () => {
    const { db, ledger, now, clock, bus } = crashedRun();
    now.value += 2_000;
    const second = createRunJournal({ db, ledger, clock });
    const settings = catchError(() =>
      second.resume('r1', { ...flow(), concurrency: { max: 8, phases: {}, groups: {} } }),
    );
    expect(settings.message).toMatchInlineSnapshot(
      `"/work/flows/flow.yaml changed since run "r1" started: the workflow settings (inputs, concurrency or description)."`,
    );
    const missing = catchError(() => second.resume('nope', flow()));
    expect(
      `${missing.code}: ${missing.message.replace(db.path, '<state>')}\n${missing.hint}`,
    ).toMatchInlineSnapshot(`
      "RUN_NOT_FOUND: No run "nope" in the journal of <state>.
      List the runs with \`tierflow runs\`, or point --state at the database the run used."
    `);
    second.resume('r1', flow());
    second.subscribe(bus);
    const summary = {
      runId: 'r1',
      workflowId: 'flow',
      durationMs: 1,
      succeeded: 4,
      failed: 0,
      skipped: 0,
      cancelled: 0,
    };
    bus.emit('WORKFLOW_COMPLETED', summary);
    const finished = catchError(() => second.resume('r1', flow()));
    expect(`${finished.code}: ${finished.message}\n${finished.hint}`).toMatchInlineSnapshot(`
      "RUN_ALREADY_FINISHED: Run "r1" of workflow "flow" already succeeded; there is nothing to resume.
      See its results with \`tierflow show r1\`."
    `);
  });
});
