// What resume needs from the coordinator beyond restoring tasks: limits hold for re-run attempts.
import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AgentHandler } from '../../src/agents/types.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { createVirtualClock, task, workflow } from '../coordinator/helpers.ts';

/** Never answers; ends only when its signal aborts. */
const hangs: AgentHandler = (ctx) =>
  new Promise((_, reject) =>
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }),
  );

describe('a resumed attempt', () => {
  it('still has its deadline when the attempts before it were cut off by a crash', async () => {
    const agents = createAgentRegistry({ builtins: false });
    agents.register('work', hangs);
    const coordinator = createCoordinator({ bus: createEventBus(), agents, clock: createVirtualClock() });
    const result = await coordinator.run(workflow([task('a', { agent: 'work', deadlineMs: 5_000 })]), {
      resume: { succeeded: {}, attempts: { a: { last: 2, counted: 0 } } },
    });
    expect(result.tasks[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { code: 'TASK_DEADLINE' },
    });
  });
});
