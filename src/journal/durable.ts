// Running a workflow under the journal: begin (or resume) the run, stop it if another coordinator
// takes it over, and give the lease up however the run ends.
import type { RunOptions } from '../coordinator/index.ts';
import { OrchestratorError } from '../errors.ts';
import { type Json, type Priority, prioritySchema } from '../events/vocabulary.ts';
import type { Workflow } from '../workflow/model.ts';
import type { JournalledRun, RunJournal, RunStart } from './journal.ts';
import type { ResumeOptions, ResumePlan } from './resume.ts';
import type { RunRecord } from './runs.ts';

/** What the coordinator needs to continue a run: tasks done (with outputs) and attempts used. */
export type ResumeState = Pick<ResumePlan, 'succeeded' | 'attempts'>;

/** The options a journalled run hands to the coordinator. */
export type JournalledRunOptions = {
  runId: string;
  input: Record<string, Json>;
  sessionId: string | undefined;
  seed: number | undefined;
  /** Aborts when the caller's signal does, or when another coordinator takes the run over. */
  signal: AbortSignal;
  /** The run's priority floor, as it was started (`meta.priority`). */
  priority: Priority | undefined;
  resume: ResumeState | undefined;
};

/** Runs `start` as a new journalled run. */
export async function runJournalled<R>(
  journal: RunJournal,
  start: RunStart & { signal?: AbortSignal | undefined },
  run: (workflow: Workflow, options: JournalledRunOptions) => Promise<R>,
): Promise<R> {
  const handle = journal.begin(start);
  return drive(handle, start.signal, (signal) =>
    run(start.workflow, {
      runId: start.runId,
      input: start.input,
      sessionId: start.sessionId,
      seed: start.seed,
      signal,
      priority: priorityOf(start.meta),
      resume: undefined,
    }),
  );
}

/**
 * Resumes a run: `load` gets the workflow (normally from the path the journal recorded), the
 * journal takes the lease and plans, and the coordinator continues with the journalled input,
 * session and seed. `onPlan` sees the plan before anything runs (to report it).
 */
export async function resumeJournalled<R>(
  journal: RunJournal,
  runId: string,
  options: ResumeOptions & {
    load: (record: RunRecord) => Promise<Workflow>;
    signal?: AbortSignal | undefined;
    onPlan?: (plan: ResumePlan, record: RunRecord) => void;
  },
  run: (workflow: Workflow, options: JournalledRunOptions) => Promise<R>,
): Promise<R> {
  const workflow = await options.load(journal.read(runId));
  const { run: handle, plan, record } = journal.resume(runId, workflow, options);
  options.onPlan?.(plan, record);
  return drive(handle, options.signal, (signal) =>
    run(workflow, {
      runId,
      input: record.input,
      sessionId: record.sessionId,
      seed: record.seed,
      signal,
      priority: priorityOf(record.meta),
      resume: { succeeded: plan.succeeded, attempts: plan.attempts },
    }),
  );
}

async function drive<R>(
  handle: JournalledRun,
  outer: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<R>,
): Promise<R> {
  const fenced = new AbortController();
  handle.onLeaseLost((error) => fenced.abort(error));
  const signal = outer === undefined ? fenced.signal : AbortSignal.any([outer, fenced.signal]);
  try {
    return await run(signal);
  } finally {
    handle.release();
  }
}

function priorityOf(meta: Record<string, Json> | undefined): Priority | undefined {
  const parsed = prioritySchema.safeParse(meta?.priority);
  return parsed.success ? parsed.data : undefined;
}

/** The coordinator's run options for a journalled run, leaving out the keys it left undefined. */
export function coordinatorOptionsOf(options: JournalledRunOptions): RunOptions {
  const { sessionId, seed, resume, priority, ...rest } = options;
  return {
    ...rest,
    ...(priority === undefined ? {} : { priority }),
    ...(sessionId === undefined ? {} : { sessionId }),
    ...(seed === undefined ? {} : { seed }),
    ...(resume === undefined ? {} : { resume }),
  };
}

/** Where a run's workflow file was. @throws OrchestratorError RUN_NOT_FOUND when it came from an object */
export function workflowPathOf(record: RunRecord): string {
  if (record.workflowPath !== undefined) return record.workflowPath;
  throw new OrchestratorError(
    'RUN_NOT_FOUND',
    `Run "${record.runId}" was started from a workflow object, not a file, so resume cannot reload it.`,
    { hint: 'Pass it again: `orchestrator.resume(runId, { workflow })`.' },
  );
}
