// The run journal: a record of every run in the state database, from which a crashed or interrupted
// run is resumed without redoing (or re-booking) what it had finished.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { type Clock, systemClock } from '../clock.ts';
import type { Ledger } from '../cost/ledger.ts';
import { OrchestratorError } from '../errors.ts';
import type { Dispose, EventBus } from '../events/bus.ts';
import type { Json } from '../events/vocabulary.ts';
import type { StateDatabase } from '../store/index.ts';
import type { Workflow } from '../workflow/model.ts';
import { type CrashHook, noCrash } from './crash-hook.ts';
import { fingerprintWorkflow } from './hash.ts';
import { leaseOwner, takeLease } from './lease.ts';
import { type ActiveRun, subscribeRecorder } from './recorder.ts';
import { prepareResume, type ResumeOptions, type ResumePlan } from './resume.ts';
import { type RunRecord, readRunRecord } from './runs.ts';
import type { BaselineOf } from './settle.ts';
import { type JournalStatements, type LeaseRow, prepareJournalStatements } from './statements.ts';

export type RunJournalOptions = {
  /** The state database; the same one as the ledger's. */
  db: StateDatabase;
  /** Books each attempt inside the journal's commit (run the cost tracker with `settleOnEvents: false`). */
  ledger?: Pick<Ledger, 'settle'>;
  /** What the strongest model would have charged, for the ledger's baseline column. */
  baselineOf?: BaselineOf;
  /** @default systemClock */
  clock?: Pick<Clock, 'now'>;
  /** How long a run's lease lasts without renewal; renewed every third of it. @default 15000 */
  leaseMs?: number;
  /** Test-only crash points (see `crashHookFromEnv`). @default noCrash */
  crash?: CrashHook;
  /** Names this process on leases. @default `<host>:<pid>:<random hex>` */
  owner?: string;
};

/** What a new run records: enough to run it again. */
export type RunStart = {
  runId: string;
  workflow: Workflow;
  input: Record<string, Json>;
  seed?: number | undefined;
  sessionId?: string | undefined;
  /** How the run was started (agents modules, concurrency, priority...), for `tierflow resume`. */
  meta?: Record<string, Json> | undefined;
};

/** A run this process coordinates: it holds the lease until the run ends or `release` is called. */
export type JournalledRun = {
  readonly runId: string;
  /** The fencing token of this coordinator's lease. */
  readonly token: number;
  /** Called once if another coordinator takes the run over (this one must stop). */
  onLeaseLost: (listener: (error: Error) => void) => void;
  /** Stops recording and gives the lease up (when the run ends without its WORKFLOW_* event). */
  release: () => void;
};

export type RunJournal = {
  /** Records a new run and takes its lease. */
  begin: (run: RunStart) => JournalledRun;
  /** What the journal holds of a run. @throws OrchestratorError RUN_NOT_FOUND */
  read: (runId: string) => RunRecord;
  /**
   * Takes over a run to resume it: takes the lease (refused while a live coordinator holds it),
   * books the attempts that were in flight at the crash, and says what to run again.
   * @throws OrchestratorError RUN_NOT_FOUND, RUN_ALREADY_FINISHED, RUN_LEASE_HELD, RUN_WORKFLOW_CHANGED
   */
  resume: (
    runId: string,
    workflow: Workflow,
    options?: ResumeOptions,
  ) => { run: JournalledRun; plan: ResumePlan; record: RunRecord };
  /** Records the events of the runs begun or resumed here; returns the disposer. */
  subscribe: (bus: EventBus) => Dispose;
  /** Stops every lease renewal. */
  close: () => void;
};

/** What the journal's steps share: the database, its statements, the lease settings, the runs held here. */
type JournalCore = {
  db: StateDatabase;
  sql: JournalStatements;
  ledger: Pick<Ledger, 'settle'> | undefined;
  clock: Pick<Clock, 'now'>;
  leaseMs: number;
  owner: string;
  runs: Map<string, ActiveRun>;
};

/** Creates the run journal over the state database. */
export function createRunJournal(options: RunJournalOptions): RunJournal {
  const { db } = options;
  const core: JournalCore = {
    db,
    sql: prepareJournalStatements(db),
    ledger: options.ledger,
    clock: options.clock ?? systemClock,
    leaseMs: options.leaseMs ?? 15_000,
    owner: options.owner ?? leaseOwner(randomBytes(4).toString('hex')),
    runs: new Map(),
  };
  const { sql, clock, runs } = core;
  return {
    begin: (start) => activate(core, start.runId, recordRunStart(core, start), start.workflow),
    read: (runId) => readRunRecord(sql, runId, db.path),
    resume: (runId, workflow, resumeOptions = {}) => {
      const prepared = takeOver(core, runId, workflow, resumeOptions);
      return {
        run: activate(core, runId, prepared.token, workflow),
        plan: prepared.plan,
        record: prepared.record,
      };
    },
    subscribe: (bus) =>
      subscribeRecorder(bus, {
        db,
        sql,
        ledger: options.ledger,
        baselineOf: options.baselineOf,
        now: () => clock.now(),
        crash: options.crash ?? noCrash,
        runs,
      }),
    close: () => {
      for (const run of runs.values()) run.stop();
    },
  };
}

/** Records a new run and takes its lease, in one transaction; returns the lease's fencing token. */
function recordRunStart(core: JournalCore, start: RunStart): number {
  const { db, sql, clock } = core;
  const { workflow } = start;
  const { workflowHash, taskHashes } = fingerprintWorkflow(workflow);
  return db.transaction(() => {
    if (sql.findRun.get(start.runId) !== undefined) {
      throw new OrchestratorError('CLI_INVALID_ARGUMENT', `Run "${start.runId}" is already in the journal.`, {
        hint: `Resume it with \`tierflow resume ${start.runId}\`, or start a run with a new id.`,
      });
    }
    const now = clock.now();
    sql.insertRun.run(
      start.runId,
      workflow.id,
      workflow.sourcePath === undefined ? null : resolve(workflow.sourcePath),
      workflowHash,
      JSON.stringify(taskHashes),
      workflow.tasks.length,
      JSON.stringify(start.input),
      start.seed ?? null,
      start.sessionId ?? null,
      JSON.stringify(start.meta ?? {}),
      now,
      now,
    );
    return takeLease(sql, start.runId, core.owner, now, core.leaseMs);
  });
}

/** Takes a recorded run over to resume it: its lease, then the plan (which books the lost attempts). */
function takeOver(core: JournalCore, runId: string, workflow: Workflow, resumeOptions: ResumeOptions) {
  const { db, sql, clock } = core;
  return db.transaction(() => {
    const record = readRunRecord(sql, runId, db.path);
    if (record.status === 'succeeded') throw alreadyFinished(record);
    // The lease first: the attempts of a live coordinator are in flight, not lost.
    const token = takeLease(sql, runId, core.owner, clock.now(), core.leaseMs);
    const plan = prepareResume(sql, core.ledger, record, workflow, resumeOptions, clock.now());
    return { record, plan, token };
  });
}

/** A run this process now coordinates: the recorder writes its events, its lease is renewed until it ends. */
function activate(core: JournalCore, runId: string, token: number, workflow: Workflow): JournalledRun {
  const listeners: ((error: Error) => void)[] = [];
  const renewal = setInterval(() => renewLease(core, run), Math.max(50, Math.floor(core.leaseMs / 3)));
  renewal.unref();
  const run: ActiveRun = {
    runId,
    token,
    taskIds: new Set(workflow.tasks.map((task) => task.id)),
    attempts: new Map(),
    completed: new Map(),
    lost: false,
    stop: () => clearInterval(renewal),
    onLeaseLost: (error) => {
      for (const listener of listeners) listener(error);
    },
  };
  core.runs.set(runId, run);
  return {
    runId,
    token,
    onLeaseLost: (listener) => {
      listeners.push(listener);
    },
    release: () => release(core, run),
  };
}

/** Moves the lease's expiry on; a renewal that finds the lease taken stops the run here. */
function renewLease(core: JournalCore, run: ActiveRun): void {
  const { runId, token } = run;
  if (run.lost || !core.runs.has(runId)) return;
  const changed = Number(core.sql.renewLease.run(core.clock.now() + core.leaseMs, runId, token).changes);
  if (changed === 1) return;
  run.lost = true;
  run.stop();
  run.onLeaseLost(
    new OrchestratorError('RUN_LEASE_HELD', `This coordinator lost the lease of run "${runId}".`),
  );
}

/** Stops recording a run and gives its lease up. */
function release(core: JournalCore, run: ActiveRun): void {
  const { db, sql, clock } = core;
  const { runId, token } = run;
  run.stop();
  if (!core.runs.delete(runId) || run.lost) return;
  // The run ended without its WORKFLOW_* event (it could not start): it failed.
  db.transaction(() => {
    if ((sql.findLease.get(runId) as LeaseRow | undefined)?.token !== token) return;
    const now = clock.now();
    sql.failRunning.run(now, now, runId);
    sql.releaseLease.run(runId, token);
  });
}

function alreadyFinished(record: RunRecord): OrchestratorError {
  return new OrchestratorError(
    'RUN_ALREADY_FINISHED',
    `Run "${record.runId}" of workflow "${record.workflowId}" already succeeded; there is nothing to resume.`,
    { hint: `See its results with \`tierflow show ${record.runId}\`.` },
  );
}
