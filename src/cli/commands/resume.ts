// `tierflow resume <runId>`: continue a crashed or interrupted run from the journal. Tasks that
// succeeded are not run again; attempts in flight at the crash run again; nothing is booked twice.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  createLogger,
  createOrchestrator,
  createRunJournal,
  type Json,
  loadWorkflow,
  OrchestratorError,
  openStateDatabase,
  type ResumePlan,
  type RunRecord,
  type RunResult,
  resolveStatePath,
} from '../../index.ts';
import { reportError } from '../exit.ts';
import { createInterrupt } from '../interrupt.ts';
import { knownNames } from '../known-names.ts';
import { collectList } from '../options.ts';
import { showProgress } from '../progress.ts';
import { reportRunResult } from '../run-summary.ts';

type ResumeFlags = {
  agents?: string[];
  config?: string;
  state?: string;
  force?: boolean;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  json?: boolean;
  quiet?: boolean;
};

/** Registers `tierflow resume <runId> [--force] [--agents <module>]... [--state <file>] [--json]`. */
export function registerResumeCommand(program: Command): void {
  program
    .command('resume')
    .description('continue a crashed or interrupted run: finished tasks are kept, the rest run')
    .argument('<runId>', 'the run (see `tierflow runs`)')
    .option('--force', 'resume although the workflow changed: changed tasks and their dependants run again')
    .option('--agents <module>', 'agents modules (default: the ones the run was started with)', collectList)
    .option('--config <dir>', 'config directory (default: the one the run was started with)')
    .option('--state <file>', 'the state database (default: TIERFLOW_STATE or .tierflow/state.db)')
    .option('--log-level <level>', 'log to stderr at this level')
    .option('--json', 'print the run result as JSON on stdout')
    .option('--quiet', 'print nothing but errors (and --json)')
    .action(async (runId: string, flags: ResumeFlags) => {
      process.exitCode = await resumeCommand(runId, flags);
    });
}

/** Reads what the journal holds of `runId`. @throws OrchestratorError RUN_NOT_FOUND */
function readRecord(statePath: string, runId: string): RunRecord {
  if (!existsSync(statePath)) {
    throw new OrchestratorError('RUN_NOT_FOUND', `No run "${runId}": ${statePath} does not exist.`, {
      hint: 'Point --state at the database the run used.',
    });
  }
  const db = openStateDatabase(statePath);
  try {
    return createRunJournal({ db }).read(runId);
  } finally {
    db.close();
  }
}

function textList(value: Json | undefined): string[] | undefined {
  return Array.isArray(value)
    ? value.filter((entry): entry is string => typeof entry === 'string')
    : undefined;
}

async function resumeCommand(runId: string, flags: ResumeFlags): Promise<number> {
  const stderr = (text: string) => process.stderr.write(text);
  const interrupt = createInterrupt(stderr);
  let orchestrator: Awaited<ReturnType<typeof createOrchestrator>> | undefined;
  try {
    const statePath = resolveStatePath({ flag: flags.state, env: process.env });
    const record = readRecord(statePath, runId);
    const meta = record.meta;
    const configDir = flags.config ?? (typeof meta.config === 'string' ? meta.config : undefined);
    const concurrency = typeof meta.concurrency === 'number' ? meta.concurrency : undefined;
    const routing =
      meta.routing === 'on' || meta.routing === 'shadow' || meta.routing === 'off' ? meta.routing : undefined;
    orchestrator = await createOrchestrator({
      statePath,
      ...(configDir === undefined ? {} : { configDir }),
      ...(record.seed === undefined ? {} : { seed: record.seed }),
      ...(record.sessionId === undefined ? {} : { sessionId: record.sessionId }),
      ...(concurrency === undefined ? {} : { maxConcurrency: concurrency }),
      ...(routing === undefined ? {} : { routing }),
      ...(flags.logLevel === undefined ? {} : { logger: createLogger({ level: flags.logLevel }) }),
    });
    for (const module of flags.agents ?? textList(meta.agents) ?? []) await orchestrator.loadAgents(module);
    if (record.workflowPath === undefined) {
      throw new OrchestratorError(
        'RUN_NOT_FOUND',
        `Run "${runId}" was started from a workflow object, not a file.`,
        {
          hint: 'Resume it from code with `orchestrator.resume(runId, { workflow })`.',
        },
      );
    }
    const workflow = await loadWorkflow(record.workflowPath, knownNames(orchestrator));
    const quiet = flags.quiet === true || flags.json === true;
    const summary = () => orchestrator?.providers.summary ?? '';
    let stopProgress: (() => void) | undefined;
    const bus = orchestrator.bus;
    interrupt.listen();
    let result: RunResult;
    try {
      result = await orchestrator.resume(runId, {
        workflow,
        force: flags.force === true,
        signal: interrupt.signal,
        onPlan: (plan) => {
          if (quiet) return;
          stderr(`${describePlan(runId, workflow.id, workflow.tasks.length, plan)} - ${summary()}\n`);
          // Only the tasks still to run: the finished ones are not run again.
          stopProgress = showProgress(bus, {
            write: stderr,
            live: process.stderr.isTTY === true && process.env.CI === undefined,
            taskIds: workflow.tasks.map((task) => task.id).filter((id) => !(id in plan.succeeded)),
          });
        },
      });
    } finally {
      stopProgress?.();
    }
    return reportRunResult(result, flags, orchestrator.providers, stderr);
  } catch (error) {
    return reportError(error, stderr);
  } finally {
    interrupt.stop();
    await orchestrator?.close();
  }
}

/** `resuming run <id> of <workflow>: 3 of 6 tasks done, 3 to run (1 attempt cut off by the crash runs again)`. */
export function describePlan(runId: string, workflowId: string, taskCount: number, plan: ResumePlan): string {
  const done = Object.keys(plan.succeeded).length;
  const notes: string[] = [];
  if (plan.lost.length > 0)
    notes.push(
      `${plan.lost.length} attempt${plan.lost.length === 1 ? '' : 's'} cut off by the crash run${plan.lost.length === 1 ? 's' : ''} again`,
    );
  if (plan.rerun.length > 0) notes.push(`changed or dependent, run again: ${plan.rerun.join(', ')}`);
  const extra = notes.length === 0 ? '' : ` (${notes.join('; ')})`;
  return `tierflow: resuming run ${runId} of ${workflowId}: ${done} of ${taskCount} tasks done, ${taskCount - done} to run${extra}`;
}
