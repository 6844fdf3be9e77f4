// `tierflow run <workflow>`: load agents, config and workflow, run it, show progress and the result.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  createJsonlSink,
  createLogger,
  createOrchestrator,
  loadWorkflow,
  type Priority,
  type RunResult,
  resolveWorkflowInputs,
} from '../../index.ts';
import { countOf, reportError } from '../exit.ts';
import { createInterrupt } from '../interrupt.ts';
import { knownNames } from '../known-names.ts';
import { collectKeyValue, collectList, oneOf, shareBelowOne, wholeNumber } from '../options.ts';
import { showProgress } from '../progress.ts';
import { reportRunResult } from '../run-summary.ts';

type RunFlags = {
  agents?: string[];
  config?: string;
  input?: Record<string, string>;
  concurrency?: number;
  state?: string;
  events?: string;
  seed?: number;
  session?: string;
  priority?: Priority;
  routing?: 'on' | 'shadow' | 'off';
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  json?: boolean;
  quiet?: boolean;
  knob?: number;
  plans?: boolean;
};

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run a workflow')
    .argument('<workflow>', 'the workflow YAML file')
    .option('--agents <module>', 'an ES module of agents (default export); repeatable', collectList)
    .option('--config <dir>', 'config directory (files it lacks come from the shipped config/)')
    .option('--input <key=value>', 'a workflow input; repeatable', collectKeyValue)
    .option('--concurrency <n>', "replace the workflow's concurrency.max", wholeNumber(1))
    .option('--state <file>', 'state database (ledger, outcomes) [TIERFLOW_STATE, .tierflow/state.db]')
    .option('--events <file.jsonl>', 'append every event to this file as JSON lines')
    .option('--seed <n>', 'seed of the offline simulation', wholeNumber(0))
    .option('--session <id>', 'session the budgets count against [TIERFLOW_SESSION, else the run id]')
    .option(
      '--priority <level>',
      'priority floor of every task',
      oneOf(['low', 'normal', 'high', 'critical'] as const),
    )
    .option(
      '--routing <mode>',
      'on | shadow | off [TIERFLOW_ROUTING, routing.yaml]',
      oneOf(['on', 'shadow', 'off'] as const),
    )
    .option(
      '--log-level <level>',
      'log to stderr at this level',
      oneOf(['debug', 'info', 'warn', 'error', 'silent'] as const),
    )
    .option(
      '--knob <q>',
      'what a correct answer is worth to the learned planner, 0 to <1 (0.85)',
      shareBelowOne,
    )
    .option('--no-plans', "route validated tasks attempt by attempt, without the learned planner's plans")
    .option('--json', 'print the run result as JSON on stdout')
    .option('--quiet', 'print nothing but errors (and --json)')
    .action(async (file: string, flags: RunFlags) => {
      process.exitCode = await runCommand(file, flags);
    });
}

async function runCommand(file: string, flags: RunFlags): Promise<number> {
  const stderr = (text: string) => process.stderr.write(text);
  let orchestrator: Awaited<ReturnType<typeof createOrchestrator>> | undefined;
  const interrupt = createInterrupt(stderr);
  try {
    orchestrator = await createOrchestrator({
      ...(flags.config === undefined ? {} : { configDir: flags.config }),
      ...(flags.state === undefined ? {} : { statePath: flags.state }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      ...(flags.session === undefined ? {} : { sessionId: flags.session }),
      ...(flags.routing === undefined ? {} : { routing: flags.routing }),
      ...(flags.concurrency === undefined ? {} : { maxConcurrency: flags.concurrency }),
      ...(flags.logLevel === undefined ? {} : { logger: createLogger({ level: flags.logLevel }) }),
      ...(flags.plans === false
        ? { planning: false as const }
        : flags.knob === undefined
          ? {}
          : { planning: { knob: flags.knob } }),
    });
    for (const module of flags.agents ?? []) await orchestrator.loadAgents(module);
    const workflow = await loadWorkflow(file, knownNames(orchestrator));
    const input = resolveWorkflowInputs(workflow, flags.input ?? {});
    const scrub = orchestrator.providers.scrubber;
    const sink =
      flags.events === undefined
        ? undefined
        : createJsonlSink(orchestrator.bus, flags.events, { transform: (line) => scrub.scrub(line) });
    const quiet = flags.quiet === true || flags.json === true;
    const live = process.stderr.isTTY === true && process.env.CI === undefined;
    if (!quiet)
      stderr(
        `tierflow: ${workflow.id} (${countOf(workflow.tasks.length, 'task')}) - ${orchestrator.providers.summary}\n`,
      );
    const stopProgress = quiet
      ? undefined
      : showProgress(orchestrator.bus, {
          write: stderr,
          live,
          taskIds: workflow.tasks.map((task) => task.id),
        });
    interrupt.listen();
    let result: RunResult;
    try {
      result = await orchestrator.run(workflow, {
        input,
        signal: interrupt.signal,
        // Kept in the journal so `tierflow resume` starts the run the same way.
        meta: {
          agents: (flags.agents ?? []).map((module) => resolve(module)),
          ...(flags.config === undefined ? {} : { config: resolve(flags.config) }),
          ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
          ...(flags.routing === undefined ? {} : { routing: flags.routing }),
        },
        ...(flags.priority === undefined ? {} : { priority: flags.priority }),
      });
    } finally {
      stopProgress?.();
      sink?.close();
    }
    return reportRunResult(result, flags, orchestrator.providers, stderr);
  } catch (error) {
    return reportError(error, stderr);
  } finally {
    interrupt.stop();
    await orchestrator?.close();
  }
}
