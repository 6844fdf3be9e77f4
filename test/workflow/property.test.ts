import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseWorkflow, taskGraph } from '../../src/workflow/index.ts';
import { workflowArbitrary } from './random-workflow.ts';

describe('random valid workflows', () => {
  it('load and keep their task ids, needs and hints, in an order that respects the needs', () => {
    fc.assert(
      fc.property(workflowArbitrary(), fc.boolean(), (written, asJson) => {
        const text = asJson ? JSON.stringify(written) : stringify(written);
        const workflow = parseWorkflow(text, {
          file: 'random.yaml',
          knownAgents: ['llm'],
          knownTaskTypes: ['coding', 'review'],
        });
        expect(workflow.tasks.map((task) => task.id)).toEqual(written.tasks.map((task) => task.id));
        for (const [index, task] of workflow.tasks.entries()) {
          const needs = written.tasks[index]!.needs;
          expect(task.needs).toEqual(needs === undefined ? [] : typeof needs === 'string' ? [needs] : needs);
          expect(task.hints).toEqual(written.tasks[index]!.hints ?? {});
        }
        const order = taskGraph(workflow).order;
        const position = new Map(order.map((id, index) => [id, index]));
        for (const task of workflow.tasks) {
          for (const need of task.needs) expect(position.get(need)!).toBeLessThan(position.get(task.id)!);
        }
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });
});
