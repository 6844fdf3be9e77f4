// Pictures of a workflow for `tierflow graph`: Mermaid flowcharts and Graphviz DOT.
import type { TaskDefinition, Workflow } from './model.ts';

function label(task: TaskDefinition): string {
  const details = [task.agent];
  if (task.foreach !== undefined) details.push(`foreach ${task.as}`);
  if (task.when !== undefined) details.push('when');
  if (task.trigger !== 'none_failed') details.push(task.trigger);
  if (task.validate !== undefined) details.push('validated');
  return `${task.id}\n${details.join(' · ')}`;
}

function byPhase(workflow: Workflow): Map<string | undefined, TaskDefinition[]> {
  const phases = new Map<string | undefined, TaskDefinition[]>();
  for (const task of workflow.tasks) phases.set(task.phase, [...(phases.get(task.phase) ?? []), task]);
  return phases;
}

const mermaidText = (text: string) => text.replaceAll('"', '#quot;').replaceAll('\n', '<br/>');

/** A Mermaid flowchart: one box per task (grouped by phase), one arrow per need. */
export function toMermaid(workflow: Workflow): string {
  const nodeId = new Map(workflow.tasks.map((task, index) => [task.id, `t${index}`]));
  const lines = ['flowchart LR'];
  for (const [phase, tasks] of byPhase(workflow)) {
    const indent = phase === undefined ? '  ' : '    ';
    if (phase !== undefined) lines.push(`  subgraph phase_${phase}["${mermaidText(phase)}"]`);
    for (const task of tasks) {
      const [open, close] = task.foreach === undefined ? ['["', '"]'] : ['[["', '"]]'];
      lines.push(`${indent}${nodeId.get(task.id)}${open}${mermaidText(label(task))}${close}`);
    }
    if (phase !== undefined) lines.push('  end');
  }
  for (const task of workflow.tasks) {
    for (const need of task.needs) lines.push(`  ${nodeId.get(need) ?? need} --> ${nodeId.get(task.id)}`);
  }
  return `${lines.join('\n')}\n`;
}

const dotText = (text: string) => JSON.stringify(text);

/** A Graphviz digraph: one box per task (a cluster per phase), one edge per need. */
export function toDot(workflow: Workflow): string {
  const lines = [
    `digraph ${dotText(workflow.id)} {`,
    '  rankdir=LR;',
    '  node [shape=box, fontname="Helvetica"];',
  ];
  for (const [phase, tasks] of byPhase(workflow)) {
    const indent = phase === undefined ? '  ' : '    ';
    if (phase !== undefined)
      lines.push(`  subgraph ${dotText(`cluster_${phase}`)} {`, `    label=${dotText(phase)};`);
    for (const task of tasks) {
      const shape = task.foreach === undefined ? '' : ', peripheries=2';
      lines.push(`${indent}${dotText(task.id)} [label=${dotText(label(task))}${shape}];`);
    }
    if (phase !== undefined) lines.push('  }');
  }
  for (const task of workflow.tasks) {
    for (const need of task.needs) lines.push(`  ${dotText(need)} -> ${dotText(task.id)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
