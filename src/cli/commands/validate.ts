// `tierflow validate <workflow>`: every problem of a workflow, or nothing (exit 0 / 2).
import type { Command } from 'commander';
import { createOrchestrator, loadWorkflow } from '../../index.ts';
import { exitCodes, reportError } from '../exit.ts';
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
    process.stdout.write(`${file}: ok (${workflow.tasks.length} tasks)\n`);
    return exitCodes.ok;
  } catch (error) {
    return reportError(error, stderr);
  } finally {
    await orchestrator?.close();
  }
}
