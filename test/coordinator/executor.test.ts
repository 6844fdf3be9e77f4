import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AttemptRequest, Executor } from '../../src/coordinator/executor.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { task, template, workflow } from './helpers.ts';

describe('executor seam', () => {
  it('runs every attempt through a custom executor that only sees JSON, as a remote one would', async () => {
    const wire: string[] = [];
    // A stand-in for a queue: the request crosses as text, the answer comes back as text.
    const remote: Executor = {
      execute: async (request, services) => {
        const line = JSON.stringify(request);
        wire.push(line);
        const received = JSON.parse(line) as AttemptRequest;
        if (services.signal.aborted)
          return { ok: false, error: { code: 'TASK_CANCELLED', message: 'cancelled' } };
        if (received.taskId === 'fails')
          return JSON.parse(
            JSON.stringify({
              ok: false,
              error: { code: 'AGENT_ERROR', message: 'remote said no', hint: 'ask again' },
            }),
          );
        return JSON.parse(
          JSON.stringify({
            ok: true,
            result: {
              output: `${received.agent} did ${received.taskId} with ${JSON.stringify(received.input)}`,
            },
          }),
        );
      },
    };
    const bus = createEventBus();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('worker', async () => ({ output: 'local handler must not run' }));
    const coordinator = createCoordinator({ bus, agents, executor: remote });
    const result = await coordinator.run(
      workflow([
        task('a', { agent: 'worker', input: { n: 1 } }),
        task('b', { agent: 'worker', needs: ['a'], input: template('tasks.a.output') }),
        task('fails', { agent: 'worker' }),
      ]),
      { runId: 'r1', seed: 42 },
    );
    expect(result.tasks.map((t) => t.output ?? t.error?.message)).toEqual([
      'worker did a with {"n":1}',
      'worker did b with "worker did a with {\\"n\\":1}"',
      'Task "fails" used up its only attempt (retries: 0); last error AGENT_ERROR: remote said no',
    ]);
    expect(JSON.parse(wire[0] as string)).toEqual({
      agent: 'worker',
      runId: 'r1',
      workflowId: 'test-flow',
      taskId: 'a',
      attempt: 1,
      idempotencyKey: 'r1:a',
      input: { n: 1 },
      seed: 42,
    });
  });
});
