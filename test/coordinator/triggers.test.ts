import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { decideJoin, type ParentState } from '../../src/coordinator/triggers.ts';
import { createEventBus } from '../../src/events/bus.ts';
import type { TaskStatus } from '../../src/events/vocabulary.ts';
import type { Trigger } from '../../src/workflow/model.ts';
import { recordEvents, task, template, workflow } from './helpers.ts';

const parent = (id: string, status: TaskStatus, extra: Partial<ParentState> = {}): ParentState => ({
  id,
  status,
  continueOnError: false,
  failedRoot: undefined,
  ...extra,
});

describe('decideJoin', () => {
  it.each<[Trigger, ParentState[], string]>([
    ['all_success', [parent('a', 'succeeded'), parent('b', 'succeeded')], 'run'],
    [
      'all_success',
      [parent('a', 'succeeded'), parent('b', 'skipped')],
      'trigger_not_met: parent "b" was skipped (trigger all_success)',
    ],
    ['all_success', [parent('a', 'failed')], 'upstream_failed: parent "a" failed'],
    ['all_success', [parent('a', 'failed', { continueOnError: true })], 'run'],
    ['none_failed', [parent('a', 'succeeded'), parent('b', 'skipped')], 'run'],
    ['none_failed', [parent('a', 'skipped'), parent('b', 'failed')], 'upstream_failed: parent "b" failed'],
    [
      'none_failed',
      [parent('a', 'skipped', { failedRoot: 'root' })],
      'upstream_failed: parent "a" was skipped because "root" failed',
    ],
    [
      'none_failed',
      [parent('a', 'cancelled')],
      'trigger_not_met: parent "a" was cancelled (trigger none_failed)',
    ],
    ['all_done', [parent('a', 'failed'), parent('b', 'skipped'), parent('c', 'cancelled')], 'run'],
    ['one_success', [parent('a', 'failed'), parent('b', 'succeeded')], 'run'],
    [
      'one_success',
      [parent('a', 'failed'), parent('b', 'skipped')],
      'upstream_failed: no parent succeeded: parent "a" failed',
    ],
    ['one_success', [parent('a', 'skipped')], 'trigger_not_met: no parent succeeded (trigger one_success)'],
    ['one_success', [], 'run'],
  ])('%s with %j -> %s', (trigger, parents, expected) => {
    const decision = decideJoin(trigger, parents);
    expect(decision.run ? 'run' : `${decision.cause}: ${decision.reason}`).toBe(expected);
  });
});

describe('joins in a run', () => {
  // a fails, b succeeds, c is skipped by a false `when`; j joins all three.
  it.each<[Trigger, TaskStatus]>([
    ['all_success', 'skipped'],
    ['none_failed', 'skipped'],
    ['all_done', 'succeeded'],
    ['one_success', 'succeeded'],
  ])('trigger %s ends the join %s', async (trigger, expected) => {
    const bus = createEventBus();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('ok', async () => ({ output: 'ok' }));
    agents.register('boom', async () => {
      throw new Error('boom');
    });
    const result = await createCoordinator({ bus, agents }).run(
      workflow([
        task('a', { agent: 'boom' }),
        task('b', { agent: 'ok' }),
        task('c', { agent: 'ok', when: template('false') }),
        task('j', { agent: 'ok', needs: ['a', 'b', 'c'], trigger }),
      ]),
    );
    expect(result.tasks.map((t) => `${t.id}:${t.status}`)).toEqual([
      'a:failed',
      'b:succeeded',
      'c:skipped',
      `j:${expected}`,
    ]);
  });

  it('skips the whole branch below a failure, naming the task that failed', async () => {
    const bus = createEventBus();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('ok', async () => ({ output: 1 }));
    agents.register('boom', async () => {
      throw new Error('boom');
    });
    const recorder = recordEvents(bus);
    const result = await createCoordinator({ bus, agents }).run(
      workflow([
        task('a', { agent: 'boom' }),
        task('b', { agent: 'ok', needs: ['a'] }),
        task('c', { agent: 'ok', needs: ['b'] }),
      ]),
    );
    expect(result.status).toBe('failed');
    expect(
      recorder.of('TASK_SKIPPED').map(({ taskId, cause, reason }) => ({ taskId, cause, reason })),
    ).toMatchInlineSnapshot(`
      [
        {
          "cause": "upstream_failed",
          "reason": "parent "a" failed",
          "taskId": "b",
        },
        {
          "cause": "upstream_failed",
          "reason": "parent "b" was skipped because "a" failed",
          "taskId": "c",
        },
      ]
    `);
  });

  it('runs the dependants of a continueOnError failure and does not fail the run', async () => {
    const bus = createEventBus();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('ok', async () => ({ output: 1 }));
    agents.register('boom', async () => {
      throw new Error('boom');
    });
    const result = await createCoordinator({ bus, agents }).run(
      workflow([
        task('a', { agent: 'boom', continueOnError: true }),
        task('b', { agent: 'ok', needs: ['a'] }),
      ]),
    );
    expect(result.status).toBe('succeeded');
    expect(result.tasks.map((t) => t.status)).toEqual(['failed', 'succeeded']);
  });

  it('skips a task whose `when` is false, with the condition as reason', async () => {
    const bus = createEventBus();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('ok', async () => ({ output: 0 }));
    const recorder = recordEvents(bus);
    await createCoordinator({ bus, agents }).run(
      workflow([
        task('a', { agent: 'ok' }),
        task('b', { agent: 'ok', needs: ['a'], when: template('tasks.a.output > 0') }),
      ]),
    );
    expect(recorder.of('TASK_SKIPPED')).toEqual([
      {
        runId: expect.any(String),
        taskId: 'b',
        cause: 'condition_false',
        reason: `condition ${template('tasks.a.output > 0')} is false`,
      },
    ]);
  });
});
