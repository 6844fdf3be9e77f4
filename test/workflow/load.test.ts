import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/diagnostics/index.ts';
import { ConfigError } from '../../src/errors.ts';
import { loadWorkflow, parseWorkflow } from '../../src/workflow/index.ts';

const agents = ['llm', 'shell', 'builder'];

function problems(text: string, knownAgents: readonly string[] | undefined = agents): string {
  try {
    parseWorkflow(text, { file: 'workflows/review.yaml', knownAgents });
  } catch (error) {
    if (error instanceof ConfigError) return formatDiagnostics(error.diagnostics);
    throw error;
  }
  throw new Error('expected the workflow to be rejected');
}

const head = 'version: 1\nid: review\n';

describe('parseWorkflow diagnostics', () => {
  it('WORKFLOW_DUPLICATE_ID names the earlier line', () => {
    expect(
      problems(`${head}tasks:\n  - id: draft\n    agent: llm\n  - id: draft\n    agent: llm\n`),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:6:9 error WORKFLOW_DUPLICATE_ID at tasks[1].id
        task id "draft" is already used on line 4
        hint: give every task its own id"
    `);
  });

  it('WORKFLOW_UNKNOWN_DEPENDENCY suggests the nearest task and lists the known ones', () => {
    expect(
      problems(
        `${head}tasks:\n  - id: draft\n    agent: llm\n  - id: critique\n    agent: llm\n  - id: summarize\n    agent: llm\n    needs: [critique, draft2]\n`,
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:10:23 error WORKFLOW_UNKNOWN_DEPENDENCY at tasks.summarize.needs[1]
        task "summarize" needs "draft2", which is not defined; known tasks: "draft", "critique", "summarize"
        hint: did you mean "draft"?"
    `);
  });

  it('WORKFLOW_CYCLE lists the whole loop', () => {
    expect(
      problems(
        `${head}tasks:\n  - id: scout\n    agent: llm\n  - id: plan\n    agent: llm\n    needs: [scout, build]\n  - id: build\n    agent: llm\n    needs: plan\n`,
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:8:20 error WORKFLOW_CYCLE at tasks.plan.needs[1]
        tasks depend on each other in a loop: plan -> build -> plan
        hint: remove one of the needs in the loop"
    `);
  });

  it('WORKFLOW_CYCLE for a task that needs itself', () => {
    expect(problems(`${head}tasks:\n  - id: solo\n    agent: llm\n    needs: solo\n`)).toMatchInlineSnapshot(`
      "workflows/review.yaml:6:12 error WORKFLOW_CYCLE at tasks.solo.needs
        task "solo" needs itself
        hint: remove one of the needs in the loop"
    `);
  });

  it('WORKFLOW_UNKNOWN_REFERENCE for a task that is not an ancestor, an unknown task, input and field', () => {
    expect(
      problems(
        `${head}inputs:\n  goal: { type: string }\ntasks:\n  - id: lint\n    agent: shell\n    input: { command: npm run lint }\n  - id: fix\n    agent: llm\n    prompt: "Fix ${'${{'} tasks.lint.output }} for ${'${{'} inputs.gaol }}"\n  - id: after\n    agent: llm\n    needs: fix\n    prompt: "${'${{'} tasks.fx.output }} ${'${{'} tasks.fix.outptu }} ${'${{'} secrets.key }} ${'${{'} tasks.after.status }}"\n`,
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:11:18 error WORKFLOW_UNKNOWN_REFERENCE at tasks.fix.prompt
        task "fix" reads tasks.lint.output, but "lint" is not among its needs, direct or indirect
        hint: add "lint" to the needs of "fix"

      workflows/review.yaml:11:47 error WORKFLOW_UNKNOWN_REFERENCE at tasks.fix.prompt
        inputs.gaol reads input "gaol", which is not declared under inputs; declared: "goal"
        hint: did you mean "goal"?

      workflows/review.yaml:15:14 error WORKFLOW_UNKNOWN_REFERENCE at tasks.after.prompt
        tasks.fx.output reads task "fx", which is not defined; known tasks: "lint", "fix", "after"
        hint: did you mean "fix"?

      workflows/review.yaml:15:37 error WORKFLOW_UNKNOWN_REFERENCE at tasks.after.prompt
        tasks.fix.outptu: a task has only "output", "status"
        hint: did you mean "output"?

      workflows/review.yaml:15:61 error WORKFLOW_UNKNOWN_REFERENCE at tasks.after.prompt
        unknown name "secrets" in secrets.key; templates read "inputs", "tasks", "run"

      workflows/review.yaml:15:80 error WORKFLOW_UNKNOWN_REFERENCE at tasks.after.prompt
        task "after" reads its own tasks.after.status
        hint: a task can read only the tasks it needs"
    `);
  });

  it('points at the expression inside a block scalar', () => {
    expect(
      problems(
        `${head}tasks:\n  - id: a\n    agent: llm\n    prompt: |\n      First line.\n      Second: \${{ tasks.b.output }} and \${{ inputs.x }}\n  - id: b\n    agent: llm\n`,
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:8:15 error WORKFLOW_UNKNOWN_REFERENCE at tasks.a.prompt
        task "a" reads tasks.b.output, but "b" is not among its needs, direct or indirect
        hint: add "b" to the needs of "a"

      workflows/review.yaml:8:41 error WORKFLOW_UNKNOWN_REFERENCE at tasks.a.prompt
        inputs.x reads input "x", which is not declared under inputs; the workflow declares no inputs
        hint: declare it under inputs"
    `);
  });

  it('WORKFLOW_UNKNOWN_GROUP and WORKFLOW_UNKNOWN_PHASE name the declared ones', () => {
    expect(
      problems(
        `${head}concurrency:\n  phases: { scout: 2, build: 1 }\n  groups: { writers: 2 }\ntasks:\n  - id: a\n    agent: llm\n    phase: biuld\n    group: writer\n`,
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:9:12 error WORKFLOW_UNKNOWN_PHASE at tasks.a.phase
        phase "biuld" is not declared under concurrency.phases; declared: "scout", "build"
        hint: did you mean "build"?

      workflows/review.yaml:10:12 error WORKFLOW_UNKNOWN_GROUP at tasks.a.group
        group "writer" is not declared under concurrency.groups; declared: "writers"
        hint: did you mean "writers"?"
    `);
  });

  it('WORKFLOW_UNKNOWN_GROUP when no groups are declared', () => {
    expect(problems(`${head}tasks:\n  - id: a\n    agent: llm\n    group: gpu\n`)).toMatchInlineSnapshot(`
      "workflows/review.yaml:6:12 error WORKFLOW_UNKNOWN_GROUP at tasks.a.group
        group "gpu" is not declared: the workflow has no concurrency.groups
        hint: add it under concurrency.groups with a limit, e.g. gpu: 2"
    `);
  });

  it('WORKFLOW_UNKNOWN_AGENT only when the known agents are given', () => {
    const text = `${head}tasks:\n  - id: a\n    agent: biulder\n`;
    expect(problems(text)).toMatchInlineSnapshot(`
      "workflows/review.yaml:5:12 error WORKFLOW_UNKNOWN_AGENT at tasks.a.agent
        agent "biulder" is not registered; known agents: "llm", "shell", "builder"
        hint: did you mean "builder"?"
    `);
    expect(parseWorkflow(text, { file: 'x.yaml' }).tasks[0]?.agent).toBe('biulder');
  });

  it('WORKFLOW_EXPRESSION_INVALID for expressions that do not parse and when with text around', () => {
    expect(
      problems(
        `${head}tasks:\n  - id: a\n    agent: llm\n    when: \${{ 1 = 1 }}\n  - id: b\n    agent: llm\n    needs: a\n    when: "ok \${{ true }}"\n    prompt: "\${{ lenght(tasks.a.output) }}"\n  - id: c\n    agent: llm\n    needs: a\n    input: { x: "\${{ tasks[inputs.name].output" }\n`,
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:6:11 error WORKFLOW_EXPRESSION_INVALID at tasks.a.when
        unexpected "=" at column 3 of "1 = 1"
        hint: compare with ==

      workflows/review.yaml:10:11 error WORKFLOW_EXPRESSION_INVALID at tasks.b.when
        when must be one \${{ }} expression, not text around one
        hint: write when: \${{ <expression> }}

      workflows/review.yaml:11:14 error WORKFLOW_EXPRESSION_INVALID at tasks.b.prompt
        unknown function lenght() at column 1 of "lenght(tasks.a.output)"
        hint: did you mean "length"?

      workflows/review.yaml:15:18 error WORKFLOW_EXPRESSION_INVALID at tasks.c.input.x
        "\${{" is never closed by "}}" in "\${{ tasks[inputs.name].output"
        hint: close the expression with }}"
    `);
  });

  it('WORKFLOW_TEMPLATE_IN_COMMAND for a template spliced into a shell command', () => {
    expect(
      problems(
        `${head}inputs:\n  repo: {}\ntasks:\n  - id: ls\n    agent: shell\n    input:\n      command: ls \${{ inputs.repo }}\n`,
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:9:19 error WORKFLOW_TEMPLATE_IN_COMMAND at tasks.ls.input.command
        a \${{ }} template inside input.command would splice a value into the shell command
        hint: pass the value through input.env (read it as "$NAME" in the command) or input.args"
    `);
  });

  it('WORKFLOW_INPUT_INVALID for a default of the wrong type', () => {
    expect(
      problems(
        `${head}inputs:\n  limit: { type: number, default: many }\ntasks:\n  - id: a\n    agent: llm\n`,
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:4:35 error WORKFLOW_INPUT_INVALID at inputs.limit.default
        the default of input "limit" is not a number
        hint: change the default or the type"
    `);
  });

  it('CONFIG_INVALID for a tier window upside down and foreach settings without foreach', () => {
    expect(
      problems(
        `${head}tasks:\n  - id: a\n    agent: llm\n    tier: { min: strong, max: weak }\n    as: file\n  - id: b\n    agent: llm\n    tier: { min: 1, max: 2, start: 4 }\n  - id: c\n    agent: llm\n    foreach: [1, 2]\n    as: tasks\n`,
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:6:11 error CONFIG_INVALID at tasks.a.tier
        tier.min 4 is above tier.max 1
        hint: tiers go 0-4; keep min <= start <= max

      workflows/review.yaml:7:5 error CONFIG_INVALID at tasks.a.as
        as applies only to a task with foreach
        hint: add foreach or remove this key

      workflows/review.yaml:10:11 error CONFIG_INVALID at tasks.b.tier
        tier.start 4 is outside tier.min 1 .. tier.max 2
        hint: tiers go 0-4; keep min <= start <= max

      workflows/review.yaml:14:9 error CONFIG_INVALID at tasks.c.as
        "tasks" is already a name in templates; the item needs another name
        hint: use a name such as item, file or entry"
    `);
  });

  it('CONFIG_INVALID and CONFIG_UNKNOWN_KEY from the schema, with the task id in the path', () => {
    expect(
      problems(
        `version: 2\nid: review\ntasks:\n  - id: fix\n    agent: llm\n    neds: lint\n    priority: urgent\n    timeout: soon\n    retries: { count: 1, backof: {} }\n    tier: 7\n  - id: "bad id"\n    agent: llm\n`,
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:1:10 error CONFIG_INVALID at version
        expected 1, got 2

      workflows/review.yaml:6:5 error CONFIG_UNKNOWN_KEY at tasks.fix.neds
        unknown key "neds"
        hint: did you mean "needs"?

      workflows/review.yaml:7:15 error CONFIG_INVALID at tasks.fix.priority
        expected one of "low" | "normal" | "high" | "critical", got "urgent"

      workflows/review.yaml:8:14 error CONFIG_INVALID at tasks.fix.timeout
        expected a duration like 30s, 2m or 1h30m, or a number of milliseconds, got "soon"

      workflows/review.yaml:9:26 error CONFIG_UNKNOWN_KEY at tasks.fix.retries.backof
        unknown key "backof"
        hint: did you mean "backoff"?

      workflows/review.yaml:10:11 error CONFIG_INVALID at tasks.fix.tier
        expected a tier (0-4, "weak", "base", "strong") or a window { min, max, start }, got 7

      workflows/review.yaml:11:9 error CONFIG_INVALID at tasks[1].id
        expected a name of letters, digits, "_" and "-", starting with a letter or "_", got "bad id""
    `);
  });

  it('CONFIG_INVALID for a bad mapping key, a list for a mapping and yes for a boolean', () => {
    expect(
      problems(
        'version: 1\nid: x\ninputs:\n  "bad key": {}\ntasks:\n  - id: a\n    agent: llm\n    when: yes\n    prompt:\n      a: 1\n',
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:4:3 error CONFIG_INVALID at inputs["bad key"]
        invalid key: expected a name of letters, digits, "_" and "-", starting with a letter or "_", got "bad key"

      workflows/review.yaml:8:11 error WORKFLOW_UNKNOWN_REFERENCE at tasks.a.when
        unknown name "yes" in yes; templates read "inputs", "tasks", "run"
        hint: write true or false; YAML 1.2 reads yes, no, on and off as names here

      workflows/review.yaml:10:7 error CONFIG_INVALID at tasks.a.prompt
        expected a string, got a mapping"
    `);
    expect(problems('- a\n- b\n')).toMatchInlineSnapshot(`
      "workflows/review.yaml:1:1 error CONFIG_INVALID
        expected a mapping, got a list"
    `);
  });

  it('YAML_SYNTAX stops before the schema', () => {
    expect(
      problems(`${head}tasks:\n  - id: a\n    agent: shell\n    input: { cwd: \${{ inputs.repo }} }\n`),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:6:19 error YAML_SYNTAX at tasks.a.input.cwd
        \${{ inputs.repo }} inside a flow collection (\`{ ... }\` or \`[ ... ]\`) is read by YAML as nested mappings, not as text
        hint: quote the value: cwd: "\${{ inputs.repo }}", or write the collection in block style"
    `);
  });

  it('reports every kind of problem in one pass, sorted by position', () => {
    const report = problems(
      `${head}tasks:\n  - id: a\n    agent: llm\n    needs: b\n    phase: 3\n  - id: b\n    agent: nope\n    needs: [a, c]\n  - id: a\n    agent: llm\n`,
    );
    const heads = report.split('\n').filter((line) => line.startsWith('workflows/'));
    expect(heads).toMatchInlineSnapshot(`
      [
        "workflows/review.yaml:6:12 error WORKFLOW_CYCLE at tasks[0].needs",
        "workflows/review.yaml:7:12 error CONFIG_INVALID at tasks[0].phase",
        "workflows/review.yaml:9:12 error WORKFLOW_UNKNOWN_AGENT at tasks.b.agent",
        "workflows/review.yaml:10:16 error WORKFLOW_UNKNOWN_DEPENDENCY at tasks.b.needs[1]",
        "workflows/review.yaml:11:9 error WORKFLOW_DUPLICATE_ID at tasks[2].id",
      ]
    `);
  });
});

describe('parseWorkflow results', () => {
  it('normalises defaults, durations, tiers, needs and expression fields', () => {
    const workflow = parseWorkflow(
      `${head}description: demo\ninputs:\n  goal: { type: string, required: true }\ndefaults: { retries: 1, timeout: 2m, tier: weak, priority: low, hints: { taskType: x } }\nconcurrency: { max: 2, phases: { build: 1 }, groups: { g: 1 } }\ntasks:\n  - id: plan\n    agent: llm\n    prompt: "\${{ inputs.goal }}"\n    tier: { min: base, max: strong }\n  - id: build\n    agent: builder\n    phase: build\n    group: g\n    needs: plan\n    when: length(tasks.plan.output) > 0\n    retries: { count: 3, backoff: { initial: 500ms, factor: 3, max: 1h30m } }\n    deadline: 90000\n    continueOnError: true\n    priority: critical\n    budget: { maxUsd: 0.5 }\n    hints: { taskType: y, size: 2 }\n    model: claude-x\n  - id: each\n    agent: llm\n    needs: [plan, plan]\n    foreach: [a, "it's"]\n    as: file\n    maxParallel: 2\n    trigger: all_done\n    tier: 0\n`,
      { file: 'demo.yaml' },
    );
    expect(workflow).toMatchSnapshot();
  });

  it('loads the example workflows of the repository', async () => {
    for (const name of ['scout-plan-build', 'code-review', 'docs-per-file']) {
      const workflow = await loadWorkflow(`workflows/${name}.yaml`, {
        knownAgents: ['llm', 'shell', 'builder', 'lines'],
      });
      expect(workflow.id).toBe(name);
    }
  });

  it('rejects a missing file with CONFIG_NOT_FOUND', async () => {
    await expect(loadWorkflow('workflows/missing.yaml')).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
  });
});

describe('a pinned model with a tier', () => {
  it('is refused: the pin decides the tier', () => {
    expect(
      problems(
        'version: 1\nid: flow\ntasks:\n  - id: a\n    agent: llm\n    model: gpt-4o-mini\n    tier: strong\n',
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:7:5 error CONFIG_INVALID at tasks.a.tier
        a task with a pinned \`model\` runs on that model; its \`tier\` would be ignored
        hint: remove \`tier\` (the model decides it) or \`model\` (let the router choose)"
    `);
  });
});
