// `tierflow validate <workflow>`: every problem of a workflow, or nothing (exit 0 / 2).
import type { Command } from 'commander';
import { ConfigError, createOrchestrator, didYouMeanHint, loadWorkflow } from '../../index.ts';
import { countOf, exitCodes, reportError } from '../exit.ts';
import { collectList } from '../options.ts';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check a workflow (and the config) without running anything')
    .argument('<workflow>', 'the workflow YAML file')
    .option('--agents <module>', 'an ES module of agents, so their names are known; repeatable', collectList)
    .option('--config <dir>', 'config directory to check too')
    .action(async (file: string, flags: { agents?: string[]; config?: string }) => {
      process.exitCode = await validate(file, flags);
    });
}

async function validate(file: string, flags: { agents?: string[]; config?: string }): Promise<number> {
  const stderr = (text: string) => process.stderr.write(text);
  let orchestrator: Awaited<ReturnType<typeof createOrchestrator>> | undefined;
  try {
    orchestrator = await createOrchestrator({
      statePath: false,
      ...(flags.config === undefined ? {} : { configDir: flags.config }),
    });
    for (const module of flags.agents ?? []) await orchestrator.loadAgents(module);
    // Without --agents, custom agent and predicate names cannot be known, so they are not checked.
    const known = flags.agents !== undefined;
    const workflow = await loadWorkflow(file, {
      knownAgents: known ? orchestrator.agents.names() : undefined,
      knownPredicates: known ? orchestrator.validators.names() : undefined,
    });
    const models = orchestrator.config.models.byId;
    const unknownModels = workflow.tasks.filter(
      (task) => task.model !== undefined && !models.has(task.model),
    );
    if (unknownModels.length > 0) {
      throw new ConfigError(
        unknownModels.map((task) => ({
          file,
          line: task.line,
          column: undefined,
          code: 'MODEL_UNKNOWN' as const,
          path: `tasks.${task.id}.model`,
          message: `model "${task.model}" is not in the model catalog`,
          hint: didYouMeanHint(task.model ?? '', models.keys()) ?? 'use a model id of config/models.yaml',
        })),
      );
    }
    process.stdout.write(`${file}: ok (${countOf(workflow.tasks.length, 'task')})\n`);
    if (!known) {
      const builtIn = new Set(orchestrator.agents.names());
      const custom = [
        ...new Set(workflow.tasks.map((task) => task.agent).filter((agent) => !builtIn.has(agent))),
      ];
      if (custom.length > 0) {
        stderr(
          `note: agents ${custom.map((name) => `"${name}"`).join(', ')} and validator predicates were not checked; ` +
            'pass --agents <module> to check them\n',
        );
      }
    }
    return exitCodes.ok;
  } catch (error) {
    return reportError(error, stderr);
  } finally {
    await orchestrator?.close();
  }
}
