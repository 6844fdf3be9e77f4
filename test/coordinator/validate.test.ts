// The coordinator runs a task's validator after a successful handler, inside the attempt: a pass is
// AGENT_COMPLETED with a quality, a fail is one AGENT_FAILED (VALIDATION_FAILED, retryable) that is
// retried, with the attempt's usage and cost booked either way.
import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AgentHandler } from '../../src/agents/types.ts';
import type { ValidatorPredicate } from '../../src/agents/validator-types.ts';
import { createValidatorRegistry } from '../../src/agents/validators.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import type { ConfigError } from '../../src/errors.ts';
import { createEventBus } from '../../src/events/bus.ts';
import type { ModelRef } from '../../src/events/vocabulary.ts';
import type { TaskDefinition, Validator } from '../../src/workflow/model.ts';
import { createVirtualClock, recordEvents, task, template, workflow } from './helpers.ts';

const model: ModelRef = { id: 'small-1', provider: 'fake', tier: 1 };
const retry = { retries: 2, initialDelayMs: 0, factor: 2, maxDelayMs: 0 };

function setup(handler: AgentHandler, predicates: Record<string, ValidatorPredicate> = {}) {
  const bus = createEventBus();
  const recorder = recordEvents(bus);
  const agents = createAgentRegistry({ builtins: false });
  agents.register('agent', handler);
  const validators = createValidatorRegistry();
  for (const [name, predicate] of Object.entries(predicates)) validators.register(name, predicate);
  const coordinator = createCoordinator({
    bus,
    agents,
    validators,
    clock: createVirtualClock(),
    defaultModel: model,
    // 1 micro-USD per input token, 2 per output token.
    priceUsage: (_model, usage) => (usage.inputTokens ?? 0) + 2 * (usage.outputTokens ?? 0),
  });
  const run = (definition: Partial<TaskDefinition>, others: TaskDefinition[] = [], signal?: AbortSignal) =>
    coordinator.run(workflow([...others, task('fix', { agent: 'agent', retry, ...definition })]), {
      ...(signal === undefined ? {} : { signal }),
    });
  return { recorder, run };
}

const byPredicate = (name: string, optimistic = true): Validator => ({
  kind: 'predicate',
  predicate: name,
  optimistic,
});
const byCommand = (
  command: string,
  overrides: Partial<Extract<Validator, { kind: 'command' }>> = {},
): Validator => ({
  kind: 'command',
  command,
  cwd: undefined,
  env: {},
  timeoutMs: undefined,
  optimistic: true,
  ...overrides,
});
const answers: AgentHandler = async (ctx) => ({
  output: `answer ${ctx.attempt}`,
  usage: { inputTokens: 100, outputTokens: 10 },
});

describe('validated tasks', () => {
  it('fails an attempt whose output the predicate rejects, books its cost, and retries until one passes', async () => {
    const { recorder, run } = setup(answers, {
      'third-time': (output) =>
        output === 'answer 3' ? { ok: true, quality: 0.9 } : { ok: false, reason: `"${output}" has no diff` },
    });
    const result = await run({ validate: byPredicate('third-time') });
    expect(result.tasks[0]).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      output: 'answer 3',
      costUsd: 0.00036,
    });
    const ends = recorder.events.filter(
      (entry) => entry.type === 'AGENT_COMPLETED' || entry.type === 'AGENT_FAILED',
    );
    expect(recorder.of('AGENT_INVOKED')).toHaveLength(3);
    expect(ends.map((entry) => entry.type)).toEqual(['AGENT_FAILED', 'AGENT_FAILED', 'AGENT_COMPLETED']);
    const failed = recorder.of('AGENT_FAILED')[0];
    expect(failed).toMatchObject({
      retryable: true,
      willRetry: true,
      usage: { inputTokens: 100, outputTokens: 10 },
      costMicroUsd: 120,
      costEstimated: false,
    });
    expect(failed?.error).toMatchInlineSnapshot(`
      {
        "code": "VALIDATION_FAILED",
        "hint": "A retry runs on a stronger tier while \`retries\` allow; raise \`retries\` on the task to climb further.",
        "message": "Task "fix" failed validation (attempt 1, model small-1): predicate "third-time" failed: "answer 1" has no diff",
      }
    `);
    expect(recorder.of('AGENT_COMPLETED')[0]).toMatchObject({ quality: 0.9, costMicroUsd: 120 });
  });

  it.each([
    ['the predicate quality', { ok: true, quality: 0.8 }, 0.5, 0.8],
    ["the handler's quality", true, 0.5, 0.5],
    ['1', true, undefined, 1],
  ] as const)('completes a passing attempt with %s', async (_, verdict, handlerQuality, quality) => {
    const { recorder, run } = setup(
      async () => ({ output: 'ok', ...(handlerQuality === undefined ? {} : { quality: handlerQuality }) }),
      { check: () => verdict },
    );
    await run({ validate: byPredicate('check') });
    expect(recorder.of('AGENT_COMPLETED').map((event) => event.quality)).toEqual([quality]);
  });

  it('ends with the attempt budget used up, naming the last validation failure', async () => {
    const { run } = setup(answers, { never: () => false });
    const result = await run({ validate: byPredicate('never'), retry: { ...retry, retries: 1 } });
    expect(result.tasks[0]?.error).toMatchInlineSnapshot(`
      {
        "code": "ATTEMPTS_EXHAUSTED",
        "hint": "Raise \`retries\` on the task, or fix the cause of the last error.",
        "message": "Task "fix" used up its attempt budget of 2 (retries: 1); last error VALIDATION_FAILED: Task "fix" failed validation (attempt 2, model small-1): predicate "never" returned false",
      }
    `);
  });

  it('runs a command validator with templates in env rendered and the output on $TIERFLOW_OUTPUT', async () => {
    const { recorder, run } = setup(async (ctx) => ({ output: ctx.attempt === 1 ? 'wrong' : 'right' }));
    const upstream = task('expected', { agent: 'agent' });
    const validate = byCommand(
      'test "$TIERFLOW_OUTPUT" = "$WANT" || { echo "got $TIERFLOW_OUTPUT"; exit 3; }',
      {
        env: { WANT: template("json('right')") },
      },
    );
    const result = await run({ needs: ['expected'], validate }, [upstream]);
    expect(result.tasks[1]).toMatchObject({ status: 'succeeded', attempts: 2, output: 'right' });
    expect(recorder.of('AGENT_FAILED')[0]?.error.message).toMatchInlineSnapshot(`
      "Task "fix" failed validation (attempt 1, model small-1): command "test \\"$TIERFLOW_OUTPUT\\" = \\"$WANT\\" || { echo \\"got $TIERFLOW_OUTPUT\\"; exit 3; }" exited with code 3; it printed last:
      got "wrong""
    `);
  });

  it('fails validation when the command outlives its own timeout', async () => {
    const { recorder, run } = setup(answers);
    const result = await run({
      validate: byCommand('sleep 30', { timeoutMs: 1000 }),
      retry: { ...retry, retries: 0 },
    });
    expect(result.tasks[0]?.status).toBe('failed');
    expect(
      recorder.of('AGENT_FAILED').map((event) => [event.error.code, event.error.message]),
    ).toMatchInlineSnapshot(`
      [
        [
          "VALIDATION_FAILED",
          "Task "fix" failed validation (attempt 1, model small-1): command "sleep 30" did not finish within its timeout of 1000 ms",
        ],
      ]
    `);
  });

  it('ends the attempt at its timeout even when the predicate never answers', async () => {
    const { recorder, run } = setup(answers, { hangs: () => new Promise<boolean>(() => {}) });
    await run({
      validate: byPredicate('hangs'),
      timeoutMs: 5000,
      retry: { ...retry, retries: 0 },
    });
    expect(recorder.of('AGENT_FAILED')[0]?.error.code).toBe('TASK_TIMEOUT');
    expect(recorder.types().filter((type) => type === 'AGENT_FAILED' || type === 'AGENT_COMPLETED')).toEqual([
      'AGENT_FAILED',
    ]);
    expect(recorder.of('AGENT_FAILED')[0]).toMatchObject({ costMicroUsd: 120, retryable: true });
  });

  it('cancels a run while a validator runs: one AGENT_FAILED, the task cancelled', async () => {
    const controller = new AbortController();
    const { recorder, run } = setup(answers, {
      stalls: (_output, ctx) =>
        new Promise<boolean>((resolve) => {
          ctx.signal.addEventListener('abort', () => resolve(true));
          controller.abort(new Error('Ctrl-C'));
        }),
    });
    const result = await run({ validate: byPredicate('stalls') }, [], controller.signal);
    expect(result.status).toBe('cancelled');
    expect(result.tasks[0]?.status).toBe('cancelled');
    expect(recorder.of('AGENT_FAILED').map((event) => [event.error.code, event.willRetry])).toEqual([
      ['TASK_CANCELLED', false],
    ]);
    expect(recorder.of('AGENT_COMPLETED')).toEqual([]);
  });

  it('validates each foreach item with its own rendered env', async () => {
    const { recorder, run } = setup(async (ctx) => ({ output: String(ctx.item).toUpperCase() }));
    const result = await run({
      foreach: template("['a', 'b']"),
      validate: byCommand('test "$TIERFLOW_OUTPUT" = "\\"$ITEM\\""', {
        env: { ITEM: template('upper(item)') },
      }),
    });
    expect(result.tasks[0]).toMatchObject({ status: 'succeeded', output: ['A', 'B'] });
    // The two commands finish in either order.
    expect(
      recorder
        .of('AGENT_COMPLETED')
        .map((event) => [event.taskId, event.quality])
        .sort(),
    ).toEqual([
      ['fix[0]', 1],
      ['fix[1]', 1],
    ]);
  });

  it('fails the attempt, not the run, when a validator registry throws', async () => {
    const bus = createEventBus();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('agent', answers);
    const broken = {
      check: () => {
        throw new Error('registry is broken');
      },
      get: () => undefined,
      names: () => [],
    };
    const coordinator = createCoordinator({ bus, agents, validators: broken, clock: createVirtualClock() });
    const result = await coordinator.run(
      workflow([
        task('fix', { agent: 'agent', validate: byCommand('true'), retry: { ...retry, retries: 0 } }),
      ]),
    );
    expect(result.tasks[0]?.error?.message).toContain('registry is broken');
  });

  it('fails the task before it runs when validate.cwd renders to no path', async () => {
    let calls = 0;
    const { run } = setup(async () => {
      calls++;
      return { output: 'ok' };
    });
    const result = await run({ validate: byCommand('true', { cwd: template('run.missing') }) });
    expect(calls).toBe(0);
    expect(result.tasks[0]?.error).toMatchInlineSnapshot(`
      {
        "code": "EXPRESSION_FAILED",
        "message": "Task "fix" validate.cwd rendered to null; expected a directory path.",
      }
    `);
  });

  it('does not validate an output the handler got wrong', async () => {
    let calls = 0;
    const { run } = setup(async () => ({ output: undefined }) as never, {
      count: () => {
        calls++;
        return true;
      },
    });
    const result = await run({ validate: byPredicate('count'), retry: { ...retry, retries: 0 } });
    expect(result.tasks[0]?.error?.code).toBe('AGENT_OUTPUT_INVALID');
    expect(calls).toBe(0);
  });

  it('marks a validated optimistic task in the hints of AGENT_INVOKED, and only such a task', async () => {
    const { recorder, run } = setup(answers, { yes: () => true });
    await run({ validate: byPredicate('yes'), hints: { taskType: 'coding' } });
    await run({ validate: byPredicate('yes', false), hints: { taskType: 'coding' } });
    await run({ hints: { taskType: 'coding', validated: true } });
    expect(recorder.of('AGENT_INVOKED').map((event) => event.hints)).toEqual([
      { taskType: 'coding', validated: true },
      { taskType: 'coding' },
      { taskType: 'coding' },
    ]);
  });

  it('tells the router the validator kind and the attempt limit of a model-calling task', async () => {
    const { recorder, run } = setup(answers, { yes: () => true });
    await run({ validate: byPredicate('yes') });
    await run({ validate: byCommand('true') });
    await run({});
    expect(
      recorder.of('AGENT_INVOKED').map(({ validator, maxAttempts }) => ({ validator, maxAttempts })),
    ).toEqual([
      { validator: { kind: 'predicate' }, maxAttempts: 3 },
      { validator: { kind: 'command' }, maxAttempts: 3 },
      { validator: undefined, maxAttempts: 3 },
    ]);
  });

  it('says no attempt limit for a deterministic agent, but still its validator', async () => {
    const bus = createEventBus();
    const recorder = recordEvents(bus);
    const agents = createAgentRegistry({ builtins: false });
    agents.register('tool', async () => ({ output: 'done' }), { deterministic: true });
    const coordinator = createCoordinator({ bus, agents, clock: createVirtualClock() });
    await coordinator.run(workflow([task('t', { agent: 'tool', validate: byCommand('true') })]));
    expect(recorder.of('AGENT_INVOKED')[0]).toMatchObject({
      deterministic: true,
      validator: { kind: 'command' },
    });
    expect(recorder.of('AGENT_INVOKED')[0]?.maxAttempts).toBeUndefined();
  });

  it('refuses to start a workflow naming a predicate nobody registered', async () => {
    const { run } = setup(answers, { 'has-diff': () => true });
    const error = (await run({ validate: byPredicate('has-dif') }).catch(
      (caught: unknown) => caught,
    )) as ConfigError;
    expect(error.diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "WORKFLOW_UNKNOWN_VALIDATOR",
          "column": undefined,
          "file": undefined,
          "hint": "did you mean "has-diff"?",
          "line": undefined,
          "message": "Task "fix" is validated by predicate "has-dif", which is not registered. Known: "has-diff".",
          "path": "tasks.fix.validate.predicate",
        },
      ]
    `);
  });
});
