import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.ts';
import { createOrchestrator } from '../src/orchestrator.ts';
import { defineTask, defineWorkflow } from '../src/workflow/define.ts';

const offline = { env: {}, statePath: false } as const;

describe('createOrchestrator', () => {
  it('refuses an unknown default model before it opens the state database', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'tierflow-orchestrator-')), 'state.db');
    await expect(createOrchestrator({ env: {}, statePath, defaultModel: 'gpt-nope' })).rejects.toMatchObject({
      code: 'MODEL_UNKNOWN',
      message: 'The default model "gpt-nope" is not in the model catalog.',
    });
    expect(existsSync(statePath)).toBe(false);
  });

  it('runs a workflow built in code and leaves no listener behind once closed', async () => {
    const orchestrator = await createOrchestrator(offline);
    const before = orchestrator.bus.totalListenerCount();
    const result = await orchestrator.run(
      defineWorkflow('hello', [defineTask('greet', { agent: 'llm', prompt: 'Say hello.' })]),
    );
    expect(result.status).toBe('succeeded');
    expect(String(result.tasks[0]?.output)).toMatch(/^\[simulated /);
    expect(orchestrator.bus.totalListenerCount()).toBe(before);
    await orchestrator.close();
    expect(orchestrator.bus.totalListenerCount()).toBe(0);
    await expect(orchestrator.run(defineWorkflow('again', []))).rejects.toThrow(
      'This orchestrator is closed; create a new one.',
    );
  });

  it('says why a run cannot be resumed without the journal', async () => {
    const orchestrator = await createOrchestrator({ ...offline, journal: false });
    await expect(orchestrator.resume('run-1')).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
      message: 'Run "run-1" cannot be resumed: the journal is off.',
      hint: 'Create the orchestrator without `journal: false`.',
    });
    await orchestrator.close();
  });

  it('refuses a workflow file whose hints.taskType is not in the catalog, before anything runs', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tierflow-orchestrator-'));
    const file = join(directory, 'flow.yaml');
    writeFileSync(
      file,
      'version: 1\nid: flow\ntasks:\n  - id: a\n    agent: llm\n    prompt: Fix it.\n    hints: { taskType: codng }\n',
    );
    const orchestrator = await createOrchestrator(offline);
    const started: unknown[] = [];
    orchestrator.bus.on('WORKFLOW_STARTED', (event) => void started.push(event));
    const error = await orchestrator.run(file).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    await orchestrator.close();
    expect(started).toEqual([]);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).diagnostics[0]).toMatchObject({
      code: 'WORKFLOW_UNKNOWN_TASK_TYPE',
      path: 'tasks.a.hints.taskType',
      line: 7,
      hint: 'did you mean "coding"?',
    });
  });

  it('refuses a workflow built in code whose hints.taskType is not in the catalog', async () => {
    const orchestrator = await createOrchestrator(offline);
    const workflow = defineWorkflow('flow', [
      defineTask('a', { agent: 'llm', prompt: 'Fix it.', hints: { taskType: 'codng' } }),
    ]);
    const error = await orchestrator.run(workflow).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    await orchestrator.close();
    expect(error).toBeInstanceOf(ConfigError);
    const [problem] = (error as ConfigError).diagnostics;
    expect(problem).toMatchObject({
      code: 'WORKFLOW_UNKNOWN_TASK_TYPE',
      path: 'tasks.a.hints.taskType',
      hint: 'did you mean "coding"?',
    });
    expect(problem?.message).toMatch(
      /^Task "a" names task type "codng", which the task-type catalog does not have\. Known: "production_critical", /,
    );
  });

  it('refuses planning options it cannot use, naming the option, before it opens the state database', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'tierflow-orchestrator-')), 'state.db');
    await expect(createOrchestrator({ env: {}, statePath, planning: { minTasks: 0 } })).rejects.toThrow(
      'planning.minTasks is 0; expected a whole number >= 1.',
    );
    expect(existsSync(statePath)).toBe(false);
    await expect(
      createOrchestrator({ ...offline, planning: { strongest: 'gpt-5.1-pro' } }),
    ).rejects.toMatchObject({
      code: 'MODEL_UNKNOWN',
      message: 'planning.strongest "gpt-5.1-pro" is not in the model catalog.',
      hint: 'did you mean "gpt-5-pro"?',
    });
    await expect(createOrchestrator({ ...offline, planning: { knob: 1.2 } })).rejects.toThrow(
      'planning.knob is 1.2; expected a number from 0 up to (not including) 1.',
    );
  });

  it.each([
    [true, 'planning is true; expected { knob?, strongest?, minTasks?, maxOutcomes? } or false.'],
    [
      { knobb: 0.9 },
      'planning.knobb is not an option; expected one of knob, strongest, minTasks, maxOutcomes.',
    ],
    [{ minTasks: '5' }, 'planning.minTasks is "5"; expected a number.'],
    [{ strongest: 5 }, 'planning.strongest is 5; expected a model id.'],
  ])('refuses planning %j written in plain JavaScript', async (planning, message) => {
    await expect(
      createOrchestrator({ ...offline, planning: planning as unknown as false }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', message });
  });
});
