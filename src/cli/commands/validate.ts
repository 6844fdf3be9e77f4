// `tierflow validate <workflow>`: every problem of a workflow, or nothing (exit 0 / 2).
import type { Command } from 'commander';
import { createOrchestrator, loadWorkflow, type Orchestrator, type Workflow } from '../../index.ts';
import { countOf, exitCodes, reportError } from '../exit.ts';
import { knownNames } from '../known-names.ts';
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
  let orchestrator: Orchestrator | undefined;
  try {
    orchestrator = await createOrchestrator({
      statePath: false,
      ...(flags.config === undefined ? {} : { configDir: flags.config }),
    });
    for (const module of flags.agents ?? []) await orchestrator.loadAgents(module);
    // Without --agents, custom agent and predicate names cannot be known, so they are not checked;
    // task types and models come from the config and always are, in the same pass as the schema.
    const custom = flags.agents !== undefined;
    const workflow = await loadWorkflow(file, knownNames(orchestrator, custom));
    process.stdout.write(`${file}: ok (${countOf(workflow.tasks.length, 'task')})\n`);
    if (!custom) noteUnchecked(workflow, orchestrator, stderr);
    return exitCodes.ok;
  } catch (error) {
    return reportError(error, stderr);
  } finally {
    await orchestrator?.close();
  }
}

/** Names the custom agents that could not be checked without --agents. */
function noteUnchecked(workflow: Workflow, orchestrator: Orchestrator, stderr: (text: string) => void): void {
  const builtIn = new Set(orchestrator.agents.names());
  const custom = [
    ...new Set(workflow.tasks.map((task) => task.agent).filter((agent) => !builtIn.has(agent))),
  ];
  if (custom.length === 0) return;
  stderr(
    `note: agents ${custom.map((name) => `"${name}"`).join(', ')} and validator predicates were not checked; ` +
      'pass --agents <module> to check them\n',
  );
}
