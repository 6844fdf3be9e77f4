// `tierflow graph <workflow>`: the task graph as Mermaid or Graphviz DOT.
import type { Command } from 'commander';
import { loadWorkflow, toDot, toMermaid } from '../../index.ts';
import { exitCodes, reportError } from '../exit.ts';
import { oneOf } from '../options.ts';

export function registerGraphCommand(program: Command): void {
  program
    .command('graph')
    .description('print the task graph of a workflow')
    .argument('<workflow>', 'the workflow YAML file')
    .option('--format <format>', 'mermaid | dot', oneOf(['mermaid', 'dot'] as const), 'mermaid')
    .action(async (file: string, flags: { format: 'mermaid' | 'dot' }) => {
      try {
        const workflow = await loadWorkflow(file);
        process.stdout.write(`${flags.format === 'dot' ? toDot(workflow) : toMermaid(workflow)}\n`);
        process.exitCode = exitCodes.ok;
      } catch (error) {
        process.exitCode = reportError(error, (text) => process.stderr.write(text));
      }
    });
}
