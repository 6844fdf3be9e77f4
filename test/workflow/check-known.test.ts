// Names a workflow takes from outside (agents, predicates, models, task types): refused at load with
// file:line:col, path, what was expected and the nearest name, in the same pass as the schema problems.
import { describe, expect, it } from 'vitest';
import { loadModelCatalog } from '../../src/config/models.ts';
import { loadTaskTypeCatalog } from '../../src/config/task-types.ts';
import { formatDiagnostics } from '../../src/diagnostics/index.ts';
import { checkWorkflow, loadWorkflow, type ParseWorkflowOptions } from '../../src/workflow/index.ts';

const known: ParseWorkflowOptions = {
  knownAgents: ['llm', 'shell'],
  knownPredicates: ['has-diff'],
  knownTaskTypes: ['coding', 'code_review', 'planning'],
  knownModels: ['gpt-4o-mini', 'claude-haiku'],
};

function problems(text: string, options: ParseWorkflowOptions = known): string {
  const checked = checkWorkflow(text, { file: 'flow.yaml', ...options });
  return checked.ok ? 'no problems' : formatDiagnostics(checked.diagnostics);
}

const head = 'version: 1\nid: flow\n';

describe('hints.taskType', () => {
  it('refuses a type outside the catalog, listing the types and suggesting the nearest', () => {
    expect(
      problems(
        `${head}defaults:\n  hints: { taskType: planing }\ntasks:\n  - id: a\n    agent: llm\n    hints: { taskType: codng, files: [a.ts] }\n  - id: b\n    agent: llm\n    hints:\n      taskType: poetry\n`,
      ),
    ).toMatchInlineSnapshot(`
      "flow.yaml:4:22 error WORKFLOW_UNKNOWN_TASK_TYPE at defaults.hints.taskType
        task type "planing" is not in the task-type catalog; expected one of "coding", "code_review", "planning"
        hint: did you mean "planning"?

      flow.yaml:8:24 error WORKFLOW_UNKNOWN_TASK_TYPE at tasks.a.hints.taskType
        task type "codng" is not in the task-type catalog; expected one of "coding", "code_review", "planning"
        hint: did you mean "coding"?

      flow.yaml:12:17 error WORKFLOW_UNKNOWN_TASK_TYPE at tasks.b.hints.taskType
        task type "poetry" is not in the task-type catalog; expected one of "coding", "code_review", "planning"
        hint: use a type of task-types.yaml, or remove hints.taskType to classify the task from its text"
    `);
  });

  it('carries what was expected in the diagnostic', () => {
    const checked = checkWorkflow(
      `${head}tasks:\n  - id: a\n    agent: llm\n    hints: { taskType: codng }\n`,
      {
        knownTaskTypes: ['coding'],
      },
    );
    expect(checked.ok ? [] : checked.diagnostics).toMatchObject([
      { line: 6, column: 24, path: 'tasks.a.hints.taskType', expected: 'one of "coding"', got: 'codng' },
    ]);
  });

  it.each([
    ['3', '3'],
    ['true', 'true'],
    ['[coding]', 'a list'],
    ['{ id: coding }', 'a mapping'],
  ])('refuses taskType: %s, which is not the id of a type, even without a catalog', (value, got) => {
    const text = `${head}tasks:\n  - id: a\n    agent: llm\n    hints: { taskType: ${value} }\n`;
    expect(problems(text, {})).toBe(
      [
        'flow.yaml:6:24 error CONFIG_INVALID at tasks.a.hints.taskType',
        `  expected the id of a task type, got ${got}`,
        '  hint: write one id, e.g. taskType: coding; remove the key to classify the task from its text',
      ].join('\n'),
    );
  });

  it('accepts null, which clears the default type for one task', () => {
    const checked = checkWorkflow(
      `${head}defaults:\n  hints: { taskType: coding }\ntasks:\n  - id: a\n    agent: llm\n    hints: { taskType: null }\n  - id: b\n    agent: llm\n`,
      known,
    );
    expect(checked.ok && checked.workflow.tasks.map((task) => task.hints)).toEqual([
      { taskType: null },
      { taskType: 'coding' },
    ]);
  });

  it('checks no type name without knownTaskTypes', () => {
    expect(
      problems(`${head}tasks:\n  - id: a\n    agent: llm\n    hints: { taskType: anything }\n`, {}),
    ).toBe('no problems');
  });

  it('leaves hints that are not a mapping to the schema check', () => {
    expect(problems(`${head}tasks:\n  - id: a\n    agent: llm\n    hints: coding\n`)).toMatchInlineSnapshot(`
      "flow.yaml:6:12 error CONFIG_INVALID at tasks.a.hints
        expected a mapping, got "coding""
    `);
  });
});

describe('a pinned model', () => {
  it('MODEL_UNKNOWN in a task and in defaults, with the nearest model', () => {
    expect(
      problems(
        `${head}defaults:\n  model: gpt-4o-minii\ntasks:\n  - id: a\n    agent: llm\n    model: claude-haiku\n  - id: b\n    agent: llm\n    model: mistral-large\n`,
      ),
    ).toMatchInlineSnapshot(`
      "flow.yaml:4:10 error MODEL_UNKNOWN at defaults.model
        model "gpt-4o-minii" is not in the model catalog
        hint: did you mean "gpt-4o-mini"?

      flow.yaml:11:12 error MODEL_UNKNOWN at tasks.b.model
        model "mistral-large" is not in the model catalog
        hint: use a model id of models.yaml, or leave the choice to the router"
    `);
  });
});

describe('schema problems and name problems in one pass', () => {
  it('reports every unknown name next to the schema problems of other tasks, sorted by position', () => {
    expect(
      problems(
        `${head}tasks:\n  - id: a\n    agent: llm\n    retries: lots\n  - id: b\n    agent: lmm\n  - id: c\n    agent: llm\n    validate: { predicate: has-dif }\n  - id: d\n    agent: llm\n    hints: { taskType: codng }\n  - id: e\n    agent: llm\n    model: gpt-4o-minii\n    promt: hi\n`,
      ),
    ).toMatchInlineSnapshot(`
      "flow.yaml:6:14 error CONFIG_INVALID at tasks.a.retries
        expected a number of retries or { count, backoff: { initial, factor, max } }, got "lots"

      flow.yaml:8:12 error WORKFLOW_UNKNOWN_AGENT at tasks.b.agent
        agent "lmm" is not registered; known agents: "llm", "shell"
        hint: did you mean "llm"?

      flow.yaml:11:28 error WORKFLOW_UNKNOWN_VALIDATOR at tasks.c.validate.predicate
        predicate "has-dif" is not registered; known predicates: "has-diff"
        hint: did you mean "has-diff"?

      flow.yaml:14:24 error WORKFLOW_UNKNOWN_TASK_TYPE at tasks.d.hints.taskType
        task type "codng" is not in the task-type catalog; expected one of "coding", "code_review", "planning"
        hint: did you mean "coding"?

      flow.yaml:17:12 error MODEL_UNKNOWN at tasks.e.model
        model "gpt-4o-minii" is not in the model catalog
        hint: did you mean "gpt-4o-mini"?

      flow.yaml:18:5 error CONFIG_UNKNOWN_KEY at tasks.e.promt
        unknown key "promt"
        hint: did you mean "prompt"?"
    `);
  });

  it('checks the names of the other tasks when one task is not a mapping or has no id', () => {
    expect(
      problems(`${head}tasks:\n  - just text\n  - agent: shel\n    hints: { taskType: 7 }\n`),
    ).toMatchInlineSnapshot(`
      "flow.yaml:4:5 error CONFIG_INVALID at tasks[0]
        expected a mapping, got "just text"

      flow.yaml:5:5 error CONFIG_INVALID at tasks[1].id
        missing required key "id"

      flow.yaml:5:12 error WORKFLOW_UNKNOWN_AGENT at tasks[1].agent
        agent "shel" is not registered; known agents: "llm", "shell"
        hint: did you mean "shell"?

      flow.yaml:6:24 error CONFIG_INVALID at tasks[1].hints.taskType
        expected the id of a task type, got 7
        hint: write one id, e.g. taskType: coding; remove the key to classify the task from its text"
    `);
  });

  it('reports only the syntax error of a file YAML cannot read: no name in it can be trusted', () => {
    expect(
      problems(
        `${head}tasks:\n  - id: a\n    agent: lmm\n    hints: { taskType: codng }\n  - id: b\n    agent: llm\n    prompt: "one\n`,
      ),
    ).toMatchInlineSnapshot(`
      "flow.yaml:10:1 error YAML_SYNTAX at tasks.b.prompt
        a quoted value is never closed
        hint: add the closing quote"
    `);
  });
});

describe('the example workflows', () => {
  it('name only task types and models of the shipped catalogs', async () => {
    const [taskTypes, models] = await Promise.all([
      loadTaskTypeCatalog('config'),
      loadModelCatalog('config'),
    ]);
    for (const name of ['scout-plan-build', 'code-review', 'docs-per-file', 'validated-fix']) {
      const workflow = await loadWorkflow(`workflows/${name}.yaml`, {
        knownTaskTypes: taskTypes.types.map((type) => type.id),
        knownModels: [...models.byId.keys()],
      });
      expect(workflow.id).toBe(name);
    }
  });
});
