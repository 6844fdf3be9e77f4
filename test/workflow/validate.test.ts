// `validate:` of a task: normalised into TaskDefinition.validate, and every problem reported at load
// with its position, field and what was expected.
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/diagnostics/index.ts';
import { checkWorkflow, loadWorkflow, parseWorkflow, toMermaid } from '../../src/workflow/index.ts';

function problems(text: string, knownPredicates?: readonly string[]): string {
  const checked = checkWorkflow(text, { file: 'fix.yaml', knownPredicates });
  return checked.ok ? 'no problems' : formatDiagnostics(checked.diagnostics);
}

const head =
  'version: 1\nid: fix\ninputs:\n  repo: { default: "." }\ndefaults: { retries: 1 }\ntasks:\n  - id: cases\n    agent: shell\n    input: { command: "ls" }\n';

describe('validate', () => {
  it('normalises a command and a predicate, optimistic unless told otherwise', () => {
    const workflow = parseWorkflow(
      `${head}  - id: fix\n    agent: llm\n    needs: cases\n    validate:\n      command: npm test\n      cwd: \${{ inputs.repo }}\n      env: { CASES: "\${{ tasks.cases.output }}", STRICT: true }\n      timeout: 2m\n  - id: review\n    agent: llm\n    validate: { predicate: has-diff, optimistic: false }\n`,
    );
    expect(workflow.tasks.map((task) => task.validate)).toEqual([
      undefined,
      {
        kind: 'command',
        command: 'npm test',
        cwd: '${{ inputs.repo }}',
        env: { CASES: '${{ tasks.cases.output }}', STRICT: true },
        timeoutMs: 120_000,
        optimistic: true,
      },
      { kind: 'predicate', predicate: 'has-diff', optimistic: false },
    ]);
  });

  it('reports every problem of validate in one pass, positioned', () => {
    const text = `${head}  - id: fix
    agent: llm
    validate:
      command: "npm test -- \${{ tasks.cases.output }}"
      cwd: "\${{ inputs.root }}"
      env: { OUT: "\${{ tasks.review.output }}", 1X: y }
      optimistc: true
  - id: review
    agent: llm
    validate: { predicate: has-dif, timeout: 2s }
  - id: docs
    agent: llm
    validate: { optimistic: false }
  - id: both
    agent: llm
    validate: { command: "true", predicate: has-diff }
  - id: bad
    agent: llm
    validate: { command: "", timeout: soon, env: { A: [1] } }
`;
    expect(problems(text, ['has-diff', 'nonempty'])).toMatchInlineSnapshot(`
      "fix.yaml:13:29 error WORKFLOW_TEMPLATE_IN_COMMAND at tasks.fix.validate.command
        a \${{ }} template inside validate.command would splice a value into the shell command
        hint: pass the value through validate.env (read it as "$NAME" in the command); the output comes as $TIERFLOW_OUTPUT

      fix.yaml:14:13 error WORKFLOW_UNKNOWN_REFERENCE at tasks.fix.validate.cwd
        inputs.root reads input "root", which is not declared under inputs; declared: "repo"
        hint: declare it under inputs

      fix.yaml:15:20 error WORKFLOW_UNKNOWN_REFERENCE at tasks.fix.validate.env.OUT
        task "fix" reads tasks.review.output, but "review" is not among its needs, direct or indirect
        hint: add "review" to the needs of "fix"

      fix.yaml:15:49 error CONFIG_INVALID at tasks.fix.validate.env["1X"]
        invalid key: expected letters, digits and _, not starting with a digit, got "1X"

      fix.yaml:16:7 error CONFIG_UNKNOWN_KEY at tasks.fix.validate.optimistc
        unknown key "optimistc"
        hint: did you mean "optimistic"?

      fix.yaml:19:28 error WORKFLOW_UNKNOWN_VALIDATOR at tasks.review.validate.predicate
        predicate "has-dif" is not registered; known predicates: "has-diff", "nonempty"
        hint: did you mean "has-diff"?

      fix.yaml:19:37 error CONFIG_INVALID at tasks.review.validate.timeout
        timeout applies only to a validate command
        hint: remove it; a predicate runs in-process

      fix.yaml:22:15 error CONFIG_INVALID at tasks.docs.validate
        validate needs a command, a predicate or a consensus
        hint: write validate: { command: npm test }, validate: { predicate: <name> } or validate: { consensus: {} }

      fix.yaml:25:34 error CONFIG_INVALID at tasks.both.validate.predicate
        validate takes one check, and it already has a command
        hint: keep one of command, predicate and consensus (a predicate can run a command in code)

      fix.yaml:28:26 error CONFIG_INVALID at tasks.bad.validate.command
        expected at least 1 character, got ""

      fix.yaml:28:39 error CONFIG_INVALID at tasks.bad.validate.timeout
        expected a duration like 30s, 2m or 1h30m, or a number of milliseconds, got "soon"

      fix.yaml:28:55 error CONFIG_INVALID at tasks.bad.validate.env.A
        expected text, a number or a boolean, got [1]"
    `);
  });

  it('checks predicate names only when the known predicates are given', () => {
    const text = `${head}  - id: review\n    agent: llm\n    validate: { predicate: anything }\n`;
    expect(problems(text)).toBe('no problems');
    expect(problems(text, [])).toMatchInlineSnapshot(`
      "fix.yaml:12:28 error WORKFLOW_UNKNOWN_VALIDATOR at tasks.review.validate.predicate
        predicate "anything" is not registered; no predicates are registered
        hint: register it with orchestrator.validators.register() or export it in \`validators\` of an agents module (--agents)"
    `);
  });

  it('loads the shipped example', async () => {
    const workflow = await loadWorkflow('workflows/validated-fix.yaml', { knownAgents: ['llm', 'shell'] });
    const fix = workflow.tasks.find((task) => task.id === 'fix');
    expect(fix?.validate).toMatchObject({ kind: 'command', timeoutMs: 30_000, optimistic: true });
    expect(fix?.validate?.kind === 'command' && fix.validate.command.startsWith("node - <<'JS'")).toBe(true);
  });

  it('marks validated tasks in pictures of the workflow', async () => {
    const workflow = await loadWorkflow('workflows/validated-fix.yaml');
    expect(toMermaid(workflow)).toMatchInlineSnapshot(`
      "flowchart LR
        t0["cases<br/>shell"]
        t1["fix<br/>llm · validated"]
        t0 --> t1
      "
    `);
  });
});

describe('validate.consensus', () => {
  it('normalises a consensus: one peer and the whole output by default, optimistic unless told otherwise', () => {
    const workflow = parseWorkflow(
      `${head}  - id: quick\n    agent: llm\n    validate: { consensus: {} }\n  - id: answer\n    agent: llm\n    validate:\n      consensus: { peers: 2, answer: 'ANSWER: (\\w+)' }\n      optimistic: false\n`,
    );
    expect(workflow.tasks.map((task) => task.validate)).toEqual([
      undefined,
      { kind: 'consensus', peers: 1, answer: undefined, optimistic: true },
      { kind: 'consensus', peers: 2, answer: 'ANSWER: (\\w+)', optimistic: false },
    ]);
  });

  it('reports a bad pattern with the engine reason, a bad peer count and command settings', () => {
    const text = `${head}  - id: answer
    agent: llm
    validate:
      consensus: { peers: 3, answer: "(yes|no" }
      timeout: 2s
  - id: both
    agent: llm
    validate: { predicate: has-diff, consensus: {} }
  - id: typo
    agent: llm
    validate: { consensus: { peer: 2 } }
`;
    expect(problems(text)).toMatchInlineSnapshot(`
      "fix.yaml:13:27 error CONFIG_INVALID at tasks.answer.validate.consensus.peers
        expected one of 1 | 2, got 3

      fix.yaml:13:38 error CONFIG_INVALID at tasks.answer.validate.consensus.answer
        expected a JavaScript regular expression; Invalid regular expression: /(yes|no/: Unterminated group
        hint: escape ( ) [ ] { } * + ? with a backslash to match them as text; single-quote the value in YAML so backslashes stay

      fix.yaml:14:7 error CONFIG_INVALID at tasks.answer.validate.timeout
        timeout applies only to a validate command
        hint: remove it; a consensus asks other models and runs no command

      fix.yaml:17:38 error CONFIG_INVALID at tasks.both.validate.consensus
        validate takes one check, and it already has a predicate
        hint: keep one of command, predicate and consensus (a predicate can run a command in code)

      fix.yaml:20:30 error CONFIG_UNKNOWN_KEY at tasks.typo.validate.consensus.peer
        unknown key "peer"
        hint: did you mean "peers"?"
    `);
  });

  it('refuses a consensus with no retry: nobody would be asked', () => {
    const text = `version: 1
id: fix
defaults: { retries: 2 }
tasks:
  - id: none
    agent: llm
    retries: 0
    validate: { consensus: {} }
  - id: counted
    agent: llm
    retries: { count: 0, backoff: { initial: 1s } }
    validate: { consensus: {} }
  - id: inherited
    agent: llm
    validate: { consensus: {} }
`;
    expect(problems(text)).toMatchInlineSnapshot(`
      "fix.yaml:8:17 error CONFIG_INVALID at tasks.none.validate.consensus
        a consensus needs retries: peers are asked on every attempt but the last, so with no retry nobody is asked
        hint: add \`retries: 1\` (or more) to the task or to \`defaults\`: a dissent is then retried on a stronger tier

      fix.yaml:12:17 error CONFIG_INVALID at tasks.counted.validate.consensus
        a consensus needs retries: peers are asked on every attempt but the last, so with no retry nobody is asked
        hint: add \`retries: 1\` (or more) to the task or to \`defaults\`: a dissent is then retried on a stronger tier"
    `);
  });

  it('refuses a consensus on a task that calls no model', () => {
    const text = `version: 1
id: fix
defaults: { tier: { max: 0 }, retries: 1 }
tasks:
  - id: list
    agent: shell
    input: { command: ls }
    validate: { consensus: {} }
  - id: zero
    agent: llm
    validate: { consensus: {} }
  - id: one
    agent: llm
    tier: 1
    validate: { consensus: {} }
  - id: start
    agent: llm
    tier: 0
    validate: { consensus: {} }
`;
    expect(problems(text)).toMatchInlineSnapshot(`
      "fix.yaml:8:17 error CONFIG_INVALID at tasks.list.validate.consensus
        a consensus compares the answers of models, but agent "shell" calls no model
        hint: validate a shell task with a command or a predicate

      fix.yaml:11:17 error CONFIG_INVALID at tasks.zero.validate.consensus
        a consensus compares the answers of models, but the task is limited to tier 0 (no model)
        hint: allow tier 1 or more in \`tier\`"
    `);
  });

  it('says validate needs one of the three kinds', () => {
    const text = `${head}  - id: docs\n    agent: llm\n    validate: { optimistic: true }\n`;
    expect(problems(text)).toMatchInlineSnapshot(`
      "fix.yaml:12:15 error CONFIG_INVALID at tasks.docs.validate
        validate needs a command, a predicate or a consensus
        hint: write validate: { command: npm test }, validate: { predicate: <name> } or validate: { consensus: {} }"
    `);
  });
});
