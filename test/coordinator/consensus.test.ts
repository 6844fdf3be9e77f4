// A consensus-validated attempt: the peers a (scripted) router names answer the handler's last model
// request on their own models; agreement passes unverified, a dissent fails and is retried without
// the models that took part, and every AGENT_INVOKED still ends exactly once.
import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AgentHandler } from '../../src/agents/types.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import type { ConfigError } from '../../src/errors.ts';
import type { EventBus } from '../../src/events/bus.ts';
import { createEventBus } from '../../src/events/bus.ts';
import type { EventPayload } from '../../src/events/events.ts';
import type { ModelRef } from '../../src/events/vocabulary.ts';
import type { GenerateRequest, Provider } from '../../src/providers/types.ts';
import type { ConsensusValidator, TaskDefinition } from '../../src/workflow/model.ts';
import { createVirtualClock, recordEvents, task, workflow } from './helpers.ts';

const m1: ModelRef = { id: 'm1', provider: 'fake', tier: 1 };
const m2: ModelRef = { id: 'm2', provider: 'fake', tier: 2 };
const m3: ModelRef = { id: 'm3', provider: 'fake', tier: 3 };
const retry = { retries: 2, initialDelayMs: 0, factor: 2, maxDelayMs: 0 };

/** Micro-USD per token of each model. */
const pricePerToken: Record<string, number> = { m1: 1, m2: 3, m3: 5 };
const usage = { inputTokens: 10, outputTokens: 5 };

type Plan = { model: ModelRef; peers?: ModelRef[]; enforced?: boolean; estimatedCostMicroUsd?: number };

/** A router on the bus: answers each AGENT_INVOKED with the plan of its attempt, peers included. */
function scriptedRouter(bus: EventBus, plans: Plan[]) {
  return bus.on('AGENT_INVOKED', (event) => {
    const plan = plans[event.attempt - 1] ?? plans[plans.length - 1];
    if (plan === undefined) return;
    bus.emit('MODEL_SELECTED', {
      runId: event.runId,
      taskId: event.taskId,
      attempt: event.attempt,
      model: plan.model.id,
      provider: plan.model.provider,
      tier: plan.model.tier,
      category: 'FAST',
      complexity: 2,
      taskType: 'qa',
      estimatedCostMicroUsd: plan.estimatedCostMicroUsd ?? 100,
      reason: 'scripted',
      enforced: plan.enforced ?? true,
      rule: 'planned',
      ...(plan.peers === undefined
        ? {}
        : {
            peers: plan.peers.map((peer) => ({
              model: peer.id,
              provider: peer.provider,
              tier: peer.tier,
              estimatedCostMicroUsd: 50,
            })),
          }),
    });
  });
}

type Reply = string | ((request: GenerateRequest) => Promise<string>);

/** Answers each model with its scripted text and records every request it was sent. */
function fakeProvider(replies: Record<string, Reply>) {
  const requests: GenerateRequest[] = [];
  const provider: Provider = {
    name: 'fake',
    generate: async (request) => {
      requests.push(request);
      const reply = replies[request.model.id];
      if (reply === undefined) throw new Error(`model ${request.model.id} is down`);
      const text = typeof reply === 'string' ? reply : await reply(request);
      return { text, usage, simulated: false, finishReason: 'stop' };
    },
  };
  return { provider, requests, asked: () => requests.map((request) => request.model.id) };
}

const consensus = (overrides: Partial<ConsensusValidator> = {}): ConsensusValidator => ({
  kind: 'consensus',
  peers: 1,
  answer: 'answer: (\\w+)',
  optimistic: true,
  ...overrides,
});

const asks: AgentHandler = async (ctx) => {
  const reply = await ctx.llm({
    prompt: 'What is the capital of France?',
    system: 'Answer as "answer: <city>".',
    maxOutputTokens: 50,
    temperature: 0.2,
    onText: () => {},
  });
  return { output: reply.text };
};

function setup(options: {
  plans: Plan[];
  replies: Record<string, Reply>;
  handler?: AgentHandler;
  deterministic?: boolean;
  redact?: (text: string) => string;
}) {
  const bus = createEventBus();
  const recorder = recordEvents(bus);
  scriptedRouter(bus, options.plans);
  const fake = fakeProvider(options.replies);
  const agents = createAgentRegistry({ builtins: false });
  agents.register('agent', options.handler ?? asks, { deterministic: options.deterministic ?? false });
  const coordinator = createCoordinator({
    bus,
    agents,
    clock: createVirtualClock(),
    defaultModel: m1,
    providerFor: () => fake.provider,
    priceUsage: (model, spent) =>
      ((spent.inputTokens ?? 0) + (spent.outputTokens ?? 0)) * (pricePerToken[model.id] ?? 0),
    decisions: { modelSelection: { await: true, timeoutMs: 2000 } },
    ...(options.redact === undefined ? {} : { redact: options.redact }),
  });
  const run = (definition: Partial<TaskDefinition> = {}, signal?: AbortSignal) =>
    coordinator.run(
      workflow([task('q', { agent: 'agent', retry, validate: consensus(), ...definition })]),
      signal === undefined ? {} : { signal },
    );
  return { bus, recorder, fake, run };
}

function endsOf(recorder: ReturnType<typeof recordEvents>) {
  return recorder.events
    .filter((entry) => entry.type === 'AGENT_COMPLETED' || entry.type === 'AGENT_FAILED')
    .map((entry) => entry.event as EventPayload<'AGENT_COMPLETED'> | EventPayload<'AGENT_FAILED'>);
}

describe('consensus validation', () => {
  it('passes when the peer agrees, with its cost and usage in the attempt and no quality', async () => {
    const { recorder, fake, run } = setup({
      plans: [{ model: m1, peers: [m2, m3] }],
      replies: { m1: 'The answer: Paris', m2: 'answer: PARIS!', m3: 'answer: Lyon' },
    });
    const result = await run();
    expect(result.tasks[0]).toMatchObject({ status: 'succeeded', attempts: 1, output: 'The answer: Paris' });
    // The validator asks one peer: m3, named second, is never asked.
    expect(fake.asked()).toEqual(['m1', 'm2']);
    const [own, peer] = fake.requests;
    expect(peer).toMatchObject({
      prompt: own?.prompt,
      system: own?.system,
      maxOutputTokens: 50,
      temperature: 0.2,
      model: m2,
    });
    expect(peer?.onText).toBeUndefined();
    expect(own?.onText).toBeTypeOf('function');
    const [completed] = recorder.of('AGENT_COMPLETED');
    expect(completed).toMatchObject({
      model: m1,
      costMicroUsd: 15 + 45,
      costEstimated: false,
      usage: { inputTokens: 20, outputTokens: 10 },
      consensus: {
        answer: 'paris',
        peers: [{ model: 'm2', answer: 'paris', agreed: true, costMicroUsd: 45 }],
      },
    });
    expect(completed).not.toHaveProperty('quality');
    expect(result.tasks[0]?.costUsd).toBe(0.00006);
  });

  it("keeps the handler's own quality on an agreement", async () => {
    const { recorder, run } = setup({
      plans: [{ model: m1, peers: [m2] }],
      replies: { m1: 'answer: Paris', m2: 'answer: paris' },
      handler: async (ctx) => ({ output: (await ctx.llm('Capital of France?')).text, quality: 0.7 }),
    });
    await run();
    expect(recorder.of('AGENT_COMPLETED').map((event) => event.quality)).toEqual([0.7]);
  });

  it('tells the router the validator and the attempt limit', async () => {
    const { recorder, run } = setup({ plans: [{ model: m1 }], replies: { m1: 'answer: Paris' } });
    await run({ validate: consensus({ peers: 2 }) });
    expect(recorder.of('AGENT_INVOKED')[0]).toMatchObject({
      validator: { kind: 'consensus', peers: 2 },
      maxAttempts: 3,
      hints: { validated: true },
    });
  });

  it('fails a dissent, stops asking there, and retries without the model and the peers it asked', async () => {
    const { recorder, fake, run } = setup({
      plans: [
        { model: m1, peers: [m3, m2] },
        { model: m2, peers: [] },
      ],
      replies: { m1: 'answer: Paris', m2: 'answer: Paris', m3: 'answer: Lyon' },
    });
    const result = await run({ validate: consensus({ peers: 2 }) });
    expect(result.tasks[0]).toMatchObject({ status: 'succeeded', attempts: 2, model: 'm2' });
    expect(fake.asked()).toEqual(['m1', 'm3', 'm2']);
    const [failed] = recorder.of('AGENT_FAILED');
    expect(failed).toMatchObject({
      retryable: true,
      willRetry: true,
      costMicroUsd: 15 + 75,
      consensus: {
        answer: 'paris',
        peers: [{ model: 'm3', answer: 'lyon', agreed: false, costMicroUsd: 75 }],
      },
    });
    expect(failed?.error).toMatchInlineSnapshot(`
      {
        "code": "VALIDATION_FAILED",
        "hint": "A retry runs on a stronger tier while \`retries\` allow; raise \`retries\` on the task to climb further.",
        "message": "Task "q" failed validation (attempt 1, model m1): consensus: model m3 answered "lyon", model m1 answered "paris"",
      }
    `);
    expect(recorder.of('AGENT_INVOKED').map((event) => event.excludeModels)).toEqual([[], ['m1', 'm3']]);
    expect(recorder.of('AGENT_COMPLETED')[0]?.consensus).toEqual({ answer: 'paris', peers: [] });
  });

  it('passes unasked when the router names no peers, names them in shadow mode, or names the model itself', async () => {
    const plans: Plan[] = [
      { model: m1 },
      { model: m2, peers: [m3], enforced: false },
      { model: m1, peers: [m1] },
    ];
    for (const plan of plans) {
      const { recorder, fake, run } = setup({ plans: [plan], replies: { m1: 'answer: Paris' } });
      const result = await run();
      expect(result.tasks[0]?.status).toBe('succeeded');
      expect(fake.asked()).toEqual(['m1']);
      expect(recorder.of('AGENT_COMPLETED')[0]).toMatchObject({
        consensus: { answer: 'paris', peers: [] },
        costMicroUsd: 15,
      });
    }
  });

  it('fails an attempt whose handler made no model call', async () => {
    const { recorder, run } = setup({
      plans: [{ model: m1, peers: [m2] }],
      replies: {},
      handler: async () => ({ output: 'answer: Paris' }),
    });
    const result = await run({ retry: { ...retry, retries: 0 } });
    expect(result.tasks[0]?.status).toBe('failed');
    expect(recorder.of('AGENT_FAILED')[0]?.error.message).toMatchInlineSnapshot(
      `"Task "q" failed validation (attempt 1, model m1): consensus: agent "agent" made no ctx.llm call; a consensus needs one, to ask its peers the same request"`,
    );
  });

  it('fails without asking a peer when the output holds no answer', async () => {
    const { recorder, fake, run } = setup({
      plans: [{ model: m1, peers: [m2] }],
      replies: { m1: 'I am not sure.', m2: 'answer: Paris' },
    });
    await run({ retry: { ...retry, retries: 0 } });
    expect(fake.asked()).toEqual(['m1']);
    const [failed] = recorder.of('AGENT_FAILED');
    expect(failed?.consensus).toEqual({ answer: null, peers: [] });
    expect(failed?.error.message).toMatchInlineSnapshot(
      `"Task "q" failed validation (attempt 1, model m1): consensus: no answer matched /answer: (\\w+)/ in the output"`,
    );
  });

  it('counts a peer without an answer, or whose call fails, as a dissent', async () => {
    const silent = setup({
      plans: [{ model: m1, peers: [m2] }],
      replies: { m1: 'answer: Paris', m2: 'no idea' },
    });
    await silent.run({ retry: { ...retry, retries: 0 } });
    expect(silent.recorder.of('AGENT_FAILED')[0]?.error.message).toMatchInlineSnapshot(
      `"Task "q" failed validation (attempt 1, model m1): consensus: model m2 gave no answer matching /answer: (\\w+)/, model m1 answered "paris""`,
    );
    const down = setup({ plans: [{ model: m1, peers: [m3] }], replies: { m1: 'answer: Paris' } });
    await down.run({ retry: { ...retry, retries: 0 } });
    const [failed] = down.recorder.of('AGENT_FAILED');
    expect(failed?.consensus).toEqual({
      answer: 'paris',
      peers: [{ model: 'm3', answer: null, agreed: false, costMicroUsd: 0 }],
    });
    expect(failed?.error.message).toMatchInlineSnapshot(
      `"Task "q" failed validation (attempt 1, model m1): consensus: model m3 could not be asked (AGENT_ERROR: model m3 is down), model m1 answered "paris""`,
    );
  });

  it('compares whole outputs without a pattern, and says when one is empty', async () => {
    const agree = setup({
      plans: [{ model: m1, peers: [m2] }],
      replies: { m1: 'Canberra', m2: '  canberra\n' },
    });
    await agree.run({ validate: consensus({ answer: undefined }) });
    expect(agree.recorder.of('AGENT_COMPLETED')[0]?.consensus?.peers[0]).toMatchObject({
      answer: 'canberra',
      agreed: true,
    });
    const emptyOwn = setup({ plans: [{ model: m1, peers: [m2] }], replies: { m1: ' ', m2: 'Canberra' } });
    await emptyOwn.run({ validate: consensus({ answer: undefined }), retry: { ...retry, retries: 0 } });
    expect(emptyOwn.recorder.of('AGENT_FAILED')[0]?.error.message).toMatchInlineSnapshot(
      `"Task "q" failed validation (attempt 1, model m1): consensus: the output is empty, so there is no answer to compare"`,
    );
    const emptyPeer = setup({ plans: [{ model: m1, peers: [m2] }], replies: { m1: 'Canberra', m2: '' } });
    await emptyPeer.run({ validate: consensus({ answer: undefined }), retry: { ...retry, retries: 0 } });
    expect(emptyPeer.recorder.of('AGENT_FAILED')[0]?.error.message).toMatchInlineSnapshot(
      `"Task "q" failed validation (attempt 1, model m1): consensus: model m2 gave an empty answer, model m1 answered "canberra""`,
    );
  });

  it('asks the peers through a remote executor too: its services.llm is the attempt', async () => {
    // setup() gives the bus, router and provider; the coordinator here has an executor of its own.
    const remote = setup({
      plans: [{ model: m1, peers: [m2] }],
      replies: { m1: 'answer: Paris', m2: 'answer: Lyon' },
    });
    const agents = createAgentRegistry({ builtins: false });
    agents.register('agent', asks);
    const coordinator = createCoordinator({
      bus: remote.bus,
      agents,
      clock: createVirtualClock(),
      defaultModel: m1,
      providerFor: () => remote.fake.provider,
      decisions: { modelSelection: { await: true, timeoutMs: 2000 } },
      // Only JSON crosses: the handler's side calls the model through the coordinator's services.
      executor: {
        execute: async (request, services) => {
          const reply = await services.llm({ prompt: `${request.taskId}: capital of France?` });
          return { ok: true, result: JSON.parse(JSON.stringify({ output: reply.text })) };
        },
      },
    });
    await coordinator.run(
      workflow([task('q', { agent: 'agent', retry: { ...retry, retries: 0 }, validate: consensus() })]),
    );
    expect(remote.fake.requests.map((request) => [request.model.id, request.prompt])).toEqual([
      ['m1', 'q: capital of France?'],
      ['m2', 'q: capital of France?'],
    ]);
    expect(remote.recorder.of('AGENT_FAILED')[0]?.consensus?.peers).toEqual([
      { model: 'm2', answer: 'lyon', agreed: false, costMicroUsd: 0 },
    ]);
  });

  it("redacts the answers in the end events with the run's redact, like the message quoting them", async () => {
    const redact = (text: string) => text.replaceAll('sekrit42', '[masked]');
    const replies = { m1: 'answer: sekrit42', m2: 'answer: SEKRIT42', m3: 'answer: Paris' };
    const dissent = setup({ plans: [{ model: m1, peers: [m2, m3] }], replies, redact });
    await dissent.run({ validate: consensus({ peers: 2 }), retry: { ...retry, retries: 0 } });
    const [failed] = dissent.recorder.of('AGENT_FAILED');
    expect(failed?.consensus).toEqual({
      answer: '[masked]',
      peers: [
        { model: 'm2', answer: '[masked]', agreed: true, costMicroUsd: 45 },
        { model: 'm3', answer: 'paris', agreed: false, costMicroUsd: 75 },
      ],
    });
    expect(failed?.error.message).toBe(
      'Task "q" failed validation (attempt 1, model m1): consensus: model m3 answered "paris", model m1 answered "[masked]"',
    );
    const agreement = setup({ plans: [{ model: m1, peers: [m2] }], replies, redact });
    await agreement.run();
    expect(agreement.recorder.of('AGENT_COMPLETED')[0]?.consensus).toEqual({
      answer: '[masked]',
      peers: [{ model: 'm2', answer: '[masked]', agreed: true, costMicroUsd: 45 }],
    });
    for (const { recorder } of [dissent, agreement])
      expect(JSON.stringify(endsOf(recorder)).toLowerCase()).not.toContain('sekrit42');
  });

  it("refuses a peer call past the task's budget", async () => {
    const { recorder, fake, run } = setup({
      plans: [{ model: m1, peers: [m2], estimatedCostMicroUsd: 10 }],
      replies: { m1: 'answer: Paris', m2: 'answer: Paris' },
    });
    const result = await run({ budget: { maxMicroUsd: 15, maxTokens: undefined } });
    expect(fake.asked()).toEqual(['m1']);
    expect(result.tasks[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(recorder.of('AGENT_FAILED')[0]).toMatchObject({
      error: { code: 'BUDGET_EXCEEDED' },
      retryable: false,
    });
  });
});

describe('consensus and the limits of an attempt', () => {
  /** A peer that answers only when aborted: the call rejects with the signal's reason. */
  const hangs = (request: GenerateRequest) =>
    new Promise<string>((_, reject) => {
      request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
    });

  it('times out while a peer is asked, and ends the attempt once', async () => {
    const { recorder, run } = setup({
      plans: [{ model: m1, peers: [m2] }],
      replies: { m1: 'answer: Paris', m2: hangs },
    });
    const result = await run({ timeoutMs: 1000, retry: { ...retry, retries: 0 } });
    expect(result.tasks[0]?.status).toBe('failed');
    expect(recorder.of('TASK_TIMED_OUT')).toHaveLength(1);
    const ends = endsOf(recorder);
    expect(ends).toHaveLength(recorder.of('AGENT_INVOKED').length);
    expect(recorder.of('AGENT_FAILED')[0]?.error.code).toBe('TASK_TIMEOUT');
  });

  it('ends the task cancelled when the run is aborted while a peer is asked', async () => {
    const controller = new AbortController();
    const { bus, recorder, run } = setup({
      plans: [{ model: m1, peers: [m2] }],
      replies: {
        m1: 'answer: Paris',
        m2: (request) => {
          controller.abort(new Error('stopped by the user'));
          return hangs(request);
        },
      },
    });
    const result = await run({}, controller.signal);
    await bus.settled();
    expect(result.status).toBe('cancelled');
    expect(result.tasks[0]?.status).toBe('cancelled');
    expect(recorder.of('AGENT_INVOKED')).toHaveLength(1);
    expect(endsOf(recorder)).toHaveLength(1);
    expect(recorder.of('AGENT_FAILED')[0]).toMatchObject({
      error: { code: 'TASK_CANCELLED' },
      willRetry: false,
    });
  });
});

describe('consensus on a task that calls no model', () => {
  it('is refused before the run', async () => {
    const { run } = setup({ plans: [], replies: {}, deterministic: true });
    const error = (await run().catch((caught: unknown) => caught)) as ConfigError;
    expect(
      error.diagnostics.map((diagnostic) => [diagnostic.path, diagnostic.message, diagnostic.hint]),
    ).toMatchInlineSnapshot(`
        [
          [
            "tasks.q.validate.consensus",
            "Task "q" is validated by consensus, which compares the answers of models, but agent "agent" is deterministic (tier 0) and calls no model.",
            "Validate it with a command or a predicate.",
          ],
        ]
      `);
  });
});
