// Validators through the whole orchestrator, offline: a predicate exported by an agents module, and the
// shipped validated example climbing tiers, each verdict recorded by the learner as an outcome.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../src/errors.ts';
import type { EventPayload } from '../../src/events/index.ts';
import { createOrchestrator } from '../../src/orchestrator.ts';

async function offline() {
  const orchestrator = await createOrchestrator({ env: {}, statePath: false, journal: false });
  const outcomes: EventPayload<'OUTCOME_RECORDED'>[] = [];
  const invoked: EventPayload<'AGENT_INVOKED'>[] = [];
  orchestrator.bus.on('OUTCOME_RECORDED', (event) => void outcomes.push(event));
  orchestrator.bus.on('AGENT_INVOKED', (event) => void invoked.push(event));
  return { orchestrator, outcomes, invoked };
}

const buildFlow = (predicate: string) => `version: 1
id: build-checked
tasks:
  - id: build
    agent: builder
    description: Implement the --verbose flag of the CLI step by step
    input: { goal: add a --verbose flag, plan: "1. Parse the flag\\n2. Print more" }
    validate: { predicate: ${predicate} }
`;

function workflowFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tierflow-validated-')), 'flow.yaml');
  writeFileSync(path, text);
  return path;
}

describe('validators in an orchestrator', () => {
  it('runs a predicate from the agents module and records its quality as the outcome', async () => {
    const { orchestrator, outcomes, invoked } = await offline();
    try {
      await orchestrator.loadAgents('workflows/agents/example-agents.ts');
      expect(orchestrator.validators.names()).toEqual(['every-step-answered']);
      const result = await orchestrator.run(workflowFile(buildFlow('every-step-answered')));
      expect(result.tasks[0]).toMatchObject({ status: 'succeeded' });
      expect(invoked.map((event) => event.hints)).toContainEqual({ validated: true });
      expect(outcomes.at(-1)).toMatchObject({ taskId: 'build', success: true, quality: 1 });
    } finally {
      await orchestrator.close();
    }
  });

  it('rejects a workflow naming a predicate the module does not export, before anything runs', async () => {
    const { orchestrator, invoked } = await offline();
    try {
      await orchestrator.loadAgents('workflows/agents/example-agents.ts');
      const path = workflowFile(buildFlow('every-step-answerd'));
      const error = (await orchestrator.run(path).catch((caught: unknown) => caught)) as ConfigError;
      expect(
        error.diagnostics.map((problem) => [problem.line, problem.column, problem.message, problem.hint]),
      ).toMatchInlineSnapshot(`
        [
          [
            8,
            28,
            "predicate "every-step-answerd" is not registered; known predicates: "every-step-answered"",
            "did you mean "every-step-answered"?",
          ],
        ]
      `);
      expect(invoked).toEqual([]);
    } finally {
      await orchestrator.close();
    }
  });

  it('climbs the shipped validated example from tier 1 to tier 3, learning from every verdict', async () => {
    const { orchestrator, outcomes } = await offline();
    try {
      const result = await orchestrator.run('workflows/validated-fix.yaml');
      expect(result.tasks.find((task) => task.id === 'fix')).toMatchObject({
        status: 'succeeded',
        attempts: 3,
        tier: 3,
      });
      expect(
        outcomes
          .filter((event) => event.taskId === 'fix')
          .map(
            (event) =>
              `${event.attempt}: tier ${event.tier} ${event.success ? `passed, quality ${event.quality}` : 'failed'}`,
          ),
      ).toEqual(['1: tier 1 failed', '2: tier 2 failed', '3: tier 3 passed, quality 1']);
    } finally {
      await orchestrator.close();
    }
  });
});
