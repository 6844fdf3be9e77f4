// Seeded random DAG workflows for the chaos test, written as YAML files so a resume reloads them.
import { writeFileSync } from 'node:fs';

/** A small seeded generator (mulberry32): same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export const taskId = (index: number) => `t${String(index).padStart(3, '0')}`;

/**
 * `tasks` tasks, each needing up to three random earlier ones; each prompt quotes its first parent's
 * output through a template, so a resumed run proves that outputs come back from the journal.
 */
export function randomDagYaml(seed: number, tasks: number, wip: number): string {
  const random = seededRandom(seed);
  const lines = [
    'version: 1',
    `id: chaos-${seed}`,
    `concurrency: { max: ${wip} }`,
    'defaults: { retries: { count: 4, backoff: { initial: 0ms } } }',
    'tasks:',
  ];
  for (let index = 0; index < tasks; index++) {
    const needs = new Set<string>();
    const count = index === 0 ? 0 : Math.floor(random() * 4);
    for (let n = 0; n < count; n++) needs.add(taskId(Math.floor(random() * index)));
    const parents = [...needs].sort();
    lines.push(`  - id: ${taskId(index)}`, '    agent: chaos');
    if (parents.length > 0) lines.push(`    needs: [${parents.join(', ')}]`);
    const from =
      parents[0] === undefined ? 'start: none' : `${parents[0]}: \${{ tasks.${parents[0]}.output }}`;
    lines.push(`    prompt: "list item ${index} from ${from}"`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeDag(path: string, seed: number, tasks: number, wip: number): void {
  writeFileSync(path, randomDagYaml(seed, tasks, wip));
}
