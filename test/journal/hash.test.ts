import { describe, expect, it } from 'vitest';
import { fingerprintWorkflow } from '../../src/journal/hash.ts';
import { parseWorkflow } from '../../src/workflow/load.ts';

const original = `version: 1
id: flow
tasks:
  - id: scout
    agent: llm
    prompt: look around
  - id: plan
    agent: llm
    needs: [scout]
    prompt: "plan after \${{ tasks.scout.output }}"
`;

const fingerprint = (text: string, file = 'flow.yaml') => fingerprintWorkflow(parseWorkflow(text, { file }));

describe('fingerprintWorkflow', () => {
  it('ignores comments, blank lines, key order, line numbers and where the file is', () => {
    const moved = `# a comment
version: 1
id: flow

tasks:
  - id: scout
    prompt: look around
    agent: llm
  - id: plan
    agent: llm
    needs: [scout]
    prompt: "plan after \${{ tasks.scout.output }}"
`;
    expect(fingerprint(moved, 'elsewhere/flow.yaml')).toEqual(fingerprint(original));
  });

  it("changes a task's hash when its definition changes, and the workflow's when anything does", () => {
    const before = fingerprint(original);
    const edited = fingerprint(original.replace('look around', 'look harder'));
    expect(edited.taskHashes.scout).not.toBe(before.taskHashes.scout);
    expect(edited.taskHashes.plan).toBe(before.taskHashes.plan);
    expect(edited.workflowHash).not.toBe(before.workflowHash);
    const settings = fingerprint(original.replace('id: flow', 'id: flow\nconcurrency: { max: 2 }'));
    expect(settings.taskHashes).toEqual(before.taskHashes);
    expect(settings.workflowHash).not.toBe(before.workflowHash);
  });
});
