import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { defineTask, defineWorkflow } from '../../src/workflow/define.ts';
import { parseWorkflow } from '../../src/workflow/load.ts';

describe('defineTask and defineWorkflow', () => {
  it('fill what the loader would fill for a minimal task, apart from the source line', () => {
    const loaded = parseWorkflow('version: 1\nid: flow\ntasks:\n  - id: a\n    agent: shell\n');
    const defined = defineWorkflow('flow', [defineTask('a', { agent: 'shell' })]);
    const { line: _line, ...loadedTask } = loaded.tasks[0]!;
    const { line: _unset, ...definedTask } = defined.tasks[0]!;
    expect({
      ...definedTask,
      retry: { ...definedTask.retry, initialDelayMs: 1000, maxDelayMs: 30_000 },
    }).toEqual(loadedTask);
    expect({ ...defined, tasks: [] }).toEqual({ ...loaded, tasks: [], sourcePath: undefined });
  });

  it('build a workflow the coordinator runs', async () => {
    const agents = createAgentRegistry({ builtins: false });
    agents.register('echo', async (ctx) => ({ output: ctx.prompt ?? null }), { deterministic: true });
    const coordinator = createCoordinator({ bus: createEventBus(), agents });
    const result = await coordinator.run(
      defineWorkflow('flow', [
        defineTask('a', { agent: 'echo', prompt: 'first' }),
        defineTask('b', { agent: 'echo', needs: ['a'], prompt: 'after ${{ tasks.a.output }}' }),
      ]),
    );
    expect(result.tasks.map((task) => [task.id, task.status, task.output])).toEqual([
      ['a', 'succeeded', 'first'],
      ['b', 'succeeded', 'after first'],
    ]);
  });
});
