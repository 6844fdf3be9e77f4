import { describe, expect, it } from 'vitest';
import { describePlan } from '../../src/cli/commands/resume.ts';
import { runRuns } from '../../src/cli/commands/runs.ts';
import { runShow } from '../../src/cli/commands/show.ts';
import { OrchestratorError } from '../../src/errors.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { createRunJournal } from '../../src/journal/journal.ts';
import { flow } from './fixtures.ts';
import { attemptEvents, freshState } from './support.ts';

/** One finished run and one whose process died with `plan` in flight. */
function journalWithTwoRuns() {
  const state = freshState();
  const now = { value: Date.UTC(2026, 10, 22, 9, 0, 0) };
  const bus = createEventBus();
  const journal = createRunJournal({
    db: state.db,
    ledger: state.ledger,
    clock: { now: () => now.value },
    leaseMs: 1_000,
    owner: 'elsewhere:1:x',
  });
  journal.subscribe(bus);
  journal.begin({ runId: 'run-done', workflow: flow(), input: {} });
  for (const id of ['scout', 'plan', 'build', 'docs']) {
    const events = attemptEvents(bus, state.ledger, 'run-done', id, 1);
    events.invoke();
    events.admit(900);
    events.complete(1_250);
    now.value += 1_500;
    events.succeed(`${id} output`);
  }
  bus.emit('WORKFLOW_COMPLETED', {
    runId: 'run-done',
    workflowId: 'flow',
    durationMs: 6_000,
    succeeded: 4,
    failed: 0,
    skipped: 0,
    cancelled: 0,
  });
  now.value += 60_000;
  journal.begin({ runId: 'run-crashed', workflow: flow(), input: {} });
  const scout = attemptEvents(bus, state.ledger, 'run-crashed', 'scout', 1);
  scout.invoke();
  scout.admit(900);
  scout.complete(300);
  scout.succeed({ files: ['a.ts', 'b.ts'] });
  const plan = attemptEvents(bus, state.ledger, 'run-crashed', 'plan', 1);
  plan.invoke();
  plan.admit(900);
  plan.fail(75);
  attemptEvents(bus, state.ledger, 'run-crashed', 'plan', 2).invoke();
  journal.close();
  state.db.close();
  return { path: state.path, now: () => now.value + 10_000 };
}

async function capture(work: (write: (text: string) => void) => Promise<number>) {
  let out = '';
  const code = await work((text) => {
    out += text;
  });
  return { code, out };
}

describe('tierflow runs', () => {
  it('lists runs newest first, a dead coordinator as crashed, with a resume hint', async () => {
    const { path, now } = journalWithTwoRuns();
    const { code, out } = await capture((write) => runRuns({ state: path, now, write }));
    expect(code).toBe(0);
    expect(out).toMatchInlineSnapshot(`
      "RUN          WORKFLOW  STATUS     STARTED (UTC)             COST  TASKS  RESUMES
      run-crashed  flow      crashed    2026-11-22 09:01:06  $0.000375    1/4        0
      run-done     flow      succeeded  2026-11-22 09:00:00     $0.005    4/4        0
      resume one with: tierflow resume run-crashed
      "
    `);
  });

  it('filters by status and prints JSON', async () => {
    const { path, now } = journalWithTwoRuns();
    const { out } = await capture((write) =>
      runRuns({ state: path, now, status: 'succeeded', json: true, write }),
    );
    expect(JSON.parse(out)).toEqual([
      {
        runId: 'run-done',
        workflowId: 'flow',
        status: 'succeeded',
        startedAt: Date.UTC(2026, 10, 22, 9, 0, 0),
        endedAt: Date.UTC(2026, 10, 22, 9, 0, 6),
        costMicroUsd: 5_000,
        tasksDone: 4,
        tasksTotal: 4,
        resumes: 0,
      },
    ]);
  });

  it('names the statuses it knows', async () => {
    const { path } = journalWithTwoRuns();
    const error = await runRuns({ state: path, status: 'done', write: () => {} }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OrchestratorError);
    expect((error as OrchestratorError).message).toMatchInlineSnapshot(
      `"--status "done" is not a run status; expected one of "running" | "crashed" | "succeeded" | "failed" | "interrupted"."`,
    );
  });

  it('says so when there is no state database yet', async () => {
    const { out } = await capture((write) => runRuns({ state: '/nonexistent/state.db', write }));
    expect(out).toMatchInlineSnapshot(`
      "No runs yet: /nonexistent/state.db does not exist. Run a workflow first.
      "
    `);
  });
});

describe('tierflow show', () => {
  it("shows a run's tasks with attempts, models, costs, timings and outputs", async () => {
    const { path, now } = journalWithTwoRuns();
    const { out } = await capture((write) => runShow('run-crashed', { state: path, now, write }));
    expect(out).toMatchInlineSnapshot(`
      "run run-crashed  workflow flow (/work/flows/flow.yaml)
      status crashed  tasks 1/4  cost $0.000375  resumes 0
      started 2026-11-22 09:01:06  ended - (UTC)

      TASK   STATUS     ATTEMPTS            MODEL          COST  TIME
      scout  succeeded  1                   sim-base    $0.0003  0 ms
      plan   running    1:failed 2:running  sim-base  $0.000075     -
      build  pending    -                   -                $0     -
      docs   pending    -                   -                $0     -

      outputs:
        scout: {"files":["a.ts","b.ts"]}
      "
    `);
  });

  it('prints JSON and refuses an unknown run', async () => {
    const { path, now } = journalWithTwoRuns();
    const { out } = await capture((write) => runShow('run-done', { state: path, now, json: true, write }));
    const detail = JSON.parse(out) as { tasks: { taskId: string; output: string; costMicroUsd: number }[] };
    expect(detail.tasks.map((task) => [task.taskId, task.output, task.costMicroUsd])).toEqual([
      ['scout', 'scout output', 1250],
      ['plan', 'plan output', 1250],
      ['build', 'build output', 1250],
      ['docs', 'docs output', 1250],
    ]);
    const error = await runShow('nope', { state: path, write: () => {} }).catch((caught: unknown) => caught);
    expect((error as OrchestratorError).code).toBe('RUN_NOT_FOUND');
  });
});

describe('tierflow resume', () => {
  it('says what it keeps and what runs again', () => {
    const plan = {
      succeeded: { scout: { output: 'x', attempts: 1 }, docs: { output: 'y', attempts: 2 } },
      attempts: {},
      lost: [{ taskId: 'plan', attempt: 2, costMicroUsd: 700 }],
      rerun: [],
      changes: { changed: [], added: [], removed: [], settings: false },
    };
    expect(describePlan('r1', 'flow', 4, plan)).toMatchInlineSnapshot(
      `"tierflow: resuming run r1 of flow: 2 of 4 tasks done, 2 to run (1 attempt cut off by the crash runs again)"`,
    );
    expect(
      describePlan('r1', 'flow', 4, {
        ...plan,
        lost: [...plan.lost, { taskId: 'build', attempt: 1, costMicroUsd: 0 }],
        rerun: ['scout', 'plan'],
      }),
    ).toMatchInlineSnapshot(
      `"tierflow: resuming run r1 of flow: 2 of 4 tasks done, 2 to run (2 attempts cut off by the crash run again; changed or dependent, run again: scout, plan)"`,
    );
    expect(describePlan('r1', 'flow', 4, { ...plan, lost: [] })).toMatchInlineSnapshot(
      `"tierflow: resuming run r1 of flow: 2 of 4 tasks done, 2 to run"`,
    );
  });
});
