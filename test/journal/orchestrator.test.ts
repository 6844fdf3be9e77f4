// orchestrator.run journals every run; orchestrator.resume continues one, reporting the whole run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrchestratorError } from '../../src/errors.ts';
import { createOrchestrator } from '../../src/orchestrator.ts';
import { recordEvents } from '../../src/testing.ts';
import { flow } from './fixtures.ts';

/** The fixture flow on a custom agent that calls the model. */
const writerFlow = () => ({
  ...flow(),
  sourcePath: undefined,
  tasks: flow().tasks.map((task) => ({ ...task, agent: 'writer' })),
});

const directory = mkdtempSync(join(tmpdir(), 'tierflow-journal-api-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('orchestrator.resume', () => {
  it('skips finished tasks, re-runs the interrupted ones and reports the whole run', async () => {
    const statePath = join(directory, 'api.db');
    const first = await createOrchestrator({ statePath, learning: false });
    const controller = new AbortController();
    let called = 0;
    first.agents.register('writer', async (ctx) => {
      const answer = await ctx.llm(ctx.prompt ?? '');
      // Interrupt once three tasks have answered: the fourth is still to run.
      if (++called === 3) controller.abort(new Error('stop here'));
      return { output: `${ctx.taskId}: ${answer.text.length}` };
    });
    const interrupted = await first.run(writerFlow(), {
      runId: 'api-run',
      signal: controller.signal,
      priority: 'high',
    });
    await first.close();
    expect(interrupted.status).toBe('cancelled');
    const done = interrupted.tasks.filter((task) => task.status === 'succeeded').map((task) => task.id);

    const second = await createOrchestrator({ statePath, learning: false });
    const recording = recordEvents(second.bus);
    second.agents.register('writer', async (ctx) => ({
      output: `${ctx.taskId} again at attempt ${ctx.attempt}`,
    }));
    const missing = await second.resume('api-run').catch((error: unknown) => error);
    expect((missing as OrchestratorError).message).toMatchInlineSnapshot(
      `"Run "api-run" was started from a workflow object, not a file, so resume cannot reload it."`,
    );
    const result = await second.resume('api-run', { workflow: writerFlow() });
    expect(result.status).toBe('succeeded');
    const invoked = recording.ofType('AGENT_INVOKED').map((event) => event.taskId);
    for (const id of done) expect(invoked).not.toContain(id);
    expect(recording.ofType('WORKFLOW_STARTED')[0]?.resumed).toBe(true);
    // The run's priority floor came back from the journal.
    expect(recording.ofType('AGENT_INVOKED').map((event) => event.priority)).toEqual(
      invoked.map(() => 'high'),
    );
    for (const id of done) {
      const task = result.tasks.find((entry) => entry.id === id);
      expect(task?.model).not.toBeNull();
      expect(task?.costUsd).toBeGreaterThan(0);
    }
    const ledger = second.db
      .prepare("SELECT SUM(cost_micro_usd) AS total FROM ledger WHERE run_id = 'api-run'")
      .get() as {
      total: number;
    };
    expect(Math.round(result.cost.totalUsd * 1_000_000)).toBe(ledger.total);
    await second.close();
  });
});
