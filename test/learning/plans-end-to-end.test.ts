// Plans in a real run: the orchestrator's router asks the learned planner (fed by outcomes stored in the
// state database), the coordinator asks the plan's peer through a real provider client (a local server
// speaking OpenAI's wire format), and the outcome recorded says what the consensus compared.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/events/index.ts';
import { createSqliteOutcomeStore, type OutcomeRecord } from '../../src/learning/index.ts';
import { createOrchestrator } from '../../src/orchestrator.ts';
import { openStateDatabase } from '../../src/store/index.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { outcome } from './outcome-fixture.ts';

let server: FakeLlmServer;
const directory = mkdtempSync(join(tmpdir(), 'tierflow-plans-'));
const workflow = join(directory, 'quiz.yaml');
const cheap = ['gpt-5-nano', 'gpt-4.1-nano'];
const strongest = 'gpt-4.1';

beforeAll(async () => {
  server = await startFakeLlmServer();
  writeFileSync(
    workflow,
    [
      'version: 1',
      'id: quiz',
      'tasks:',
      '  - id: answer',
      '    agent: llm',
      '    prompt: "Which planet is largest? A) Mars B) Jupiter C) Venus. Reply with the letter."',
      '    hints: { taskType: analysis }',
      '    tier: { max: base }',
      '    retries: 1',
      '    validate:',
      '      consensus: { peers: 1, answer: "\\\\b([A-C])\\\\b" }',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Past quiz tasks answered by the two cheap models and the strong one, judged by later feedback. */
function pastOutcomes(tasks: number): OutcomeRecord[] {
  const records: OutcomeRecord[] = [];
  for (let task = 0; task < tasks; task += 1) {
    const agree = task % 10 !== 0;
    const answers: Record<string, string> = {
      'gpt-5-nano': 'b',
      'gpt-4.1-nano': agree ? 'b' : 'c',
      [strongest]: task % 20 === 7 ? 'a' : 'b',
    };
    Object.entries(answers).forEach(([model, answer], index) => {
      records.push(
        outcome({
          runId: 'past',
          taskId: `quiz-${task}`,
          attempt: index + 1,
          taskType: 'analysis',
          model,
          validator: 'consensus',
          consensus: { answer, peers: [] },
          success: answer === 'b',
          quality: answer === 'b' ? 1 : 0,
          source: 'feedback',
          costMicroUsd: model === strongest ? 2000 : 20,
          text: 'Which planet is largest?',
        }),
      );
    });
  }
  return records;
}

async function run(name: string, answerOf: (model: string) => string, planning = true) {
  const statePath = join(directory, `${name}.db`);
  const db = openStateDatabase(statePath);
  const store = createSqliteOutcomeStore(db);
  for (const record of pastOutcomes(40)) store.record(record);
  db.close();
  const orchestrator = await createOrchestrator({
    env: { OPENAI_API_KEY: 'sk-test-plans', OPENAI_BASE_URL: server.baseURL },
    statePath,
    planning: planning ? { knob: 0.9, strongest } : false,
  });
  const selected: EventPayload<'MODEL_SELECTED'>[] = [];
  orchestrator.bus.on('MODEL_SELECTED', (event) => void selected.push(event));
  server.requests.length = 0;
  server.replyBy(({ model }) => ({
    kind: 'text',
    text: `The answer is ${answerOf(model)}.`,
    usage: { input: 30, output: 6 },
  }));
  try {
    const result = await orchestrator.run(workflow);
    const asked = server.requests.map((request) => String(request.body.model));
    const state = openStateDatabase(statePath);
    const stored = createSqliteOutcomeStore(state)
      .all()
      .filter((record) => record.runId === result.runId);
    state.close();
    return { result, selected, asked, stored };
  } finally {
    await orchestrator.close();
  }
}

describe('a learned plan in a real run', () => {
  it('starts on a cheap model checked by a cheap peer, and passes when they agree', async () => {
    const { result, selected, asked, stored } = await run('agree', () => 'B');
    expect(result.status).toBe('succeeded');
    const first = selected[0];
    expect(first).toMatchObject({ attempt: 1, rule: 'planned', enforced: true });
    expect(cheap).toContain(first?.model);
    expect(first?.peers?.map((peer) => peer.model)).toEqual(cheap.filter((model) => model !== first?.model));
    expect(first?.reason).toMatch(
      /^plan: .+ checked by .+, then gpt-4\.1 \(tier 2\) if that fails; expected quality/,
    );
    expect(asked).toEqual([first?.model, first?.peers?.[0]?.model]);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      validator: 'consensus',
      success: true,
      consensus: { answer: 'b', peers: [{ model: first?.peers?.[0]?.model, answer: 'b', agreed: true }] },
    });
    expect(stored[0]?.quality).toBeUndefined();
  });

  it('escalates to the strong tier when the peer disagrees', async () => {
    const { result, selected, asked } = await run('dissent', (model) =>
      model === 'gpt-4.1-nano' ? 'C' : 'B',
    );
    expect(result.status).toBe('succeeded');
    expect(selected.map((event) => event.attempt)).toEqual([1, 2]);
    const [first, second] = selected;
    expect(second).toMatchObject({ model: strongest, tier: 2, rule: 'pinned' });
    expect(second?.peers).toBeUndefined();
    expect([first?.model, ...(first?.peers ?? []).map((peer) => peer.model)]).not.toContain(second?.model);
    expect(asked).toHaveLength(3);
    expect(asked[2]).toBe(second?.model);
  });

  it('routes attempt by attempt with planning off', async () => {
    const { selected } = await run('off', () => 'B', false);
    expect(selected[0]?.rule).not.toBe('planned');
    expect(selected[0]?.plan).toBeUndefined();
  });
});
