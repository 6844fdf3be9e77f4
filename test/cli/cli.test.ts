// The `tierflow` command as a user runs it: a child process, exit codes, stdout and stderr.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const directory = mkdtempSync(join(tmpdir(), 'tierflow-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

type Outcome = { code: number; stdout: string; stderr: string };

async function tierflow(...args: string[]): Promise<Outcome> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: directory,
    CI: '1',
    TIERFLOW_STATE: join(directory, 'state.db'),
  };
  try {
    const { stdout, stderr } = await exec(process.execPath, ['src/cli/main.ts', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('tierflow run: the learned planner', () => {
  const firstReason = async (...flags: string[]) => {
    const events = join(directory, `plans-${flags.join('')}.jsonl`);
    const state = join(directory, `plans-${flags.join('')}.db`);
    const outcome = await tierflow(
      'run',
      'workflows/validated-fix.yaml',
      '--state',
      state,
      '--events',
      events,
      '--quiet',
      ...flags,
    );
    expect(outcome.code).toBe(0);
    const selected = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; taskId: string; reason?: string })
      .find((event) => event.type === 'MODEL_SELECTED' && event.taskId === 'fix');
    return selected?.reason ?? '';
  };

  it('is asked for a validated task by default, and says why it has no plan yet', async () => {
    expect(await firstReason()).toMatch(
      /^no plan yet: fewer than 20 tasks of type "coding" show how a tested chain does/,
    );
    expect(await firstReason('--knob', '0.9')).toMatch(/^no plan yet: /);
  });

  it('is not asked with --no-plans', async () => {
    expect(await firstReason('--no-plans')).not.toMatch(/no plan yet/);
  });

  it('refuses a --knob outside [0, 1)', async () => {
    const { code, stderr } = await tierflow('run', 'workflows/validated-fix.yaml', '--knob', '1');
    expect(code).toBe(2);
    expect(stderr).toMatchInlineSnapshot(`
      "error: option '--knob <q>' argument '1' is invalid. expected a number from 0 up to (not including) 1, got "1".
      (run with --help for usage)
      "
    `);
  });
});

describe('tierflow run', () => {
  it('runs the Scout-Plan-Build example offline and prints the JSON run result', async () => {
    const events = join(directory, 'events.jsonl');
    const { code, stdout } = await tierflow(
      'run',
      'workflows/scout-plan-build.yaml',
      '--agents',
      'workflows/agents/example-agents.ts',
      '--input',
      'goal=add a --verbose flag',
      '--events',
      events,
      '--json',
    );
    const result = JSON.parse(stdout) as {
      status: string;
      workflow: string;
      tasks: { id: string; status: string; tier: number | null }[];
      cost: { totalUsd: number; baselineUsd: number; savingsPct: number };
    };
    expect(code).toBe(0);
    expect(result.workflow).toBe('scout-plan-build');
    expect(result.tasks.map((task) => [task.id, task.status])).toEqual([
      ['scout-code', 'succeeded'],
      ['scout-history', 'succeeded'],
      ['scout-notes', 'succeeded'],
      ['plan', 'succeeded'],
      ['build', 'succeeded'],
      ['review', 'succeeded'],
    ]);
    expect(result.tasks.find((task) => task.id === 'scout-code')?.tier).toBe(0);
    expect(result.cost.totalUsd).toBeGreaterThan(0);
    expect(result.cost.baselineUsd).toBeGreaterThan(result.cost.totalUsd);
    const types = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types[0]).toBe('WORKFLOW_STARTED');
    expect(types.at(-1)).toBe('WORKFLOW_COMPLETED');
    expect(types.filter((type) => type === 'AGENT_INVOKED').length).toBe(
      types.filter((type) => type === 'AGENT_COMPLETED' || type === 'AGENT_FAILED').length,
    );
  });

  it('prints one line per settled task off a TTY, then the summary, and exits 1 when a task fails', async () => {
    const { code, stdout, stderr } = await tierflow('run', 'test/fixtures/workflows/fails.yaml');
    expect(code).toBe(1);
    expect(stderr).toContain('✔ ok');
    expect(stderr).toMatch(/✖ broken .*failed/);
    expect(stderr).toMatch(/↷ after .*skipped .*parent "broken" failed/);
    expect(stdout).toMatch(/run \S+ \(fails\): failed in /);
    expect(stdout).toMatch(/broken: ATTEMPTS_EXHAUSTED .* SHELL_EXIT_NONZERO: Command .* exited with code 3/);
    expect(stdout).not.toContain('simulated');
  });

  it('exits 2 and names every missing required input before anything runs', async () => {
    const { code, stdout, stderr } = await tierflow(
      'run',
      'workflows/scout-plan-build.yaml',
      '--agents',
      'workflows/agents/example-agents.ts',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('WORKFLOW_INPUT_MISSING');
    expect(stderr).toContain('goal');
  });

  it.each([
    [['run', 'workflows/code-review.yaml', '--input', 'base'], 'expected key=value, got "base".'],
    [['run', 'workflows/code-review.yaml', '--concurrency', '0'], 'expected a whole number >= 1, got "0".'],
    [
      ['run', 'workflows/code-review.yaml', '--routing', 'maybe'],
      'expected one of "on" | "shadow" | "off", got "maybe".',
    ],
    [['run', 'workflows/code-review.yaml', '--frobnicate'], "unknown option '--frobnicate'"],
  ])('exits 2 on a bad argument: %j', async (args, message) => {
    const { code, stderr } = await tierflow(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('names a workflow file that does not exist', async () => {
    const { code, stderr } = await tierflow('run', 'workflows/nope.yaml');
    expect(code).toBe(2);
    expect(stderr).toContain('workflows/nope.yaml');
    expect(stderr).toContain('CONFIG_NOT_FOUND');
  });
});

describe('tierflow validate', () => {
  it('prints every problem with file, line, column and field, and exits 2', async () => {
    const { code, stdout, stderr } = await tierflow('validate', 'test/fixtures/workflows/bad.yaml');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatchInlineSnapshot(`
      "test/fixtures/workflows/bad.yaml:7:13 error WORKFLOW_UNKNOWN_DEPENDENCY at tasks[0].needs[0]
        task "plan" needs "scout", which is not defined; known tasks: "plan"
        hint: fix the name in \`needs\` or add the task

      test/fixtures/workflows/bad.yaml:9:9 error WORKFLOW_DUPLICATE_ID at tasks[1].id
        task id "plan" is already used on line 4
        hint: give every task its own id

      test/fixtures/workflows/bad.yaml:11:14 error CONFIG_INVALID at tasks[1].retries
        expected a number of retries or { count, backoff: { initial, factor, max } }, got "many"
      "
    `);
  });

  it('says ok for a valid workflow', async () => {
    const { code, stdout } = await tierflow('validate', 'workflows/code-review.yaml');
    expect(code).toBe(0);
    expect(stdout).toBe('workflows/code-review.yaml: ok (5 tasks)\n');
  });
});

/** Writes a workflow into the test directory; `shown` puts `<tmp>` in its place in messages. */
function workflowFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}
const shown = (text: string) => text.replaceAll(directory, '<tmp>');

const unknownNames = workflowFile(
  'names.yaml',
  `version: 1
id: names
tasks:
  - id: a
    agent: llm
    retries: lots
  - id: b
    agent: buidler
    hints: { taskType: codng }
  - id: c
    agent: llm
    model: gpt-4o-minii
    validate: { predicate: every-step-answerd }
    hints:
      taskType: [coding]
`,
);

describe('tierflow validate: names and schema in one pass', () => {
  it('refuses unknown task types and models with the nearest ones, next to the schema problems', async () => {
    const { code, stdout, stderr } = await tierflow('validate', unknownNames);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(shown(stderr)).toMatchInlineSnapshot(`
      "<tmp>/names.yaml:6:14 error CONFIG_INVALID at tasks.a.retries
        expected a number of retries or { count, backoff: { initial, factor, max } }, got "lots"

      <tmp>/names.yaml:9:24 error WORKFLOW_UNKNOWN_TASK_TYPE at tasks.b.hints.taskType
        task type "codng" is not in the task-type catalog; expected one of "production_critical", "security_review", "architecture", "debugging", "performance", "refactor", "code_review", "database", "testing", "coding", "ui", "planning" and 10 more
        hint: did you mean "coding"?

      <tmp>/names.yaml:12:12 error MODEL_UNKNOWN at tasks.c.model
        model "gpt-4o-minii" is not in the model catalog
        hint: did you mean "gpt-4o-mini"?

      <tmp>/names.yaml:15:17 error CONFIG_INVALID at tasks.c.hints.taskType
        expected the id of a task type, got a list
        hint: write one id, e.g. taskType: coding; remove the key to classify the task from its text
      "
    `);
  });

  it('adds unknown agents and predicates with --agents, sorted with the rest', async () => {
    const { code, stderr } = await tierflow(
      'validate',
      unknownNames,
      '--agents',
      'workflows/agents/example-agents.ts',
    );
    expect(code).toBe(2);
    expect(
      shown(stderr)
        .split('\n')
        .filter((line) => line.startsWith('<tmp>')),
    ).toMatchInlineSnapshot(`
      [
        "<tmp>/names.yaml:6:14 error CONFIG_INVALID at tasks.a.retries",
        "<tmp>/names.yaml:8:12 error WORKFLOW_UNKNOWN_AGENT at tasks.b.agent",
        "<tmp>/names.yaml:9:24 error WORKFLOW_UNKNOWN_TASK_TYPE at tasks.b.hints.taskType",
        "<tmp>/names.yaml:12:12 error MODEL_UNKNOWN at tasks.c.model",
        "<tmp>/names.yaml:13:28 error WORKFLOW_UNKNOWN_VALIDATOR at tasks.c.validate.predicate",
        "<tmp>/names.yaml:15:17 error CONFIG_INVALID at tasks.c.hints.taskType",
      ]
    `);
  });
});

describe('tierflow validate: task types of the user config', () => {
  it('takes the task types from --config, suggesting among them', async () => {
    const config = join(directory, 'config');
    mkdirSync(config, { recursive: true });
    writeFileSync(
      join(config, 'task-types.yaml'),
      'defaultType: chores\nsimpleRequest: { maxWords: 9, words: [rename] }\ntypes:\n  - { id: triage, complexity: 2, expectedOutputTokens: 300 }\n  - { id: chores, complexity: 1, expectedOutputTokens: 200 }\n',
    );
    const path = workflowFile(
      'triage.yaml',
      'version: 1\nid: triage\ntasks:\n  - id: a\n    agent: llm\n    hints: { taskType: triage }\n  - id: b\n    agent: llm\n    hints: { taskType: coding }\n',
    );
    const custom = await tierflow('validate', path, '--config', config);
    expect(custom.code).toBe(2);
    expect(shown(custom.stderr)).toMatchInlineSnapshot(`
      "<tmp>/triage.yaml:9:24 error WORKFLOW_UNKNOWN_TASK_TYPE at tasks.b.hints.taskType
        task type "coding" is not in the task-type catalog; expected one of "triage", "chores"
        hint: use a type of task-types.yaml, or remove hints.taskType to classify the task from its text
      "
    `);
    const shipped = await tierflow('validate', path);
    expect(shipped.code).toBe(2);
    expect(shown(shipped.stderr)).toContain('tasks.a.hints.taskType');
    expect(shown(shipped.stderr)).not.toContain('tasks.b.hints.taskType');
  });
});

describe('tierflow run: an unknown task type', () => {
  it('exits 2 before anything runs', async () => {
    const path = workflowFile(
      'typo.yaml',
      'version: 1\nid: typo\ntasks:\n  - id: a\n    agent: llm\n    prompt: hi\n    hints: { taskType: sumarization }\n',
    );
    const { code, stdout, stderr } = await tierflow('run', path, '--json');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(shown(stderr)).toMatchInlineSnapshot(`
      "<tmp>/typo.yaml:7:24 error WORKFLOW_UNKNOWN_TASK_TYPE at tasks.a.hints.taskType
        task type "sumarization" is not in the task-type catalog; expected one of "production_critical", "security_review", "architecture", "debugging", "performance", "refactor", "code_review", "database", "testing", "coding", "ui", "planning" and 10 more
        hint: did you mean "summarization"?
      "
    `);
  });
});

describe('tierflow graph', () => {
  it('prints Graphviz DOT on request', async () => {
    const { code, stdout } = await tierflow('graph', 'test/fixtures/workflows/fails.yaml', '--format', 'dot');
    expect(code).toBe(0);
    expect(stdout).toContain('digraph');
    expect(stdout).toMatch(/"ok" -> "broken"/);
  });
});

describe('quiet and validate notes', () => {
  it('keeps the errors of failed tasks on stderr under --quiet', async () => {
    const { code, stdout, stderr } = await tierflow('run', 'test/fixtures/workflows/fails.yaml', '--quiet');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^broken: ATTEMPTS_EXHAUSTED Task "broken" used up its only attempt/m);
  });

  it('says which custom agents validate could not check, and refuses a pinned model the catalog lacks', async () => {
    const unchecked = await tierflow('validate', 'workflows/docs-per-file.yaml');
    expect(unchecked.code).toBe(0);
    expect(unchecked.stderr).toBe(
      'note: agents "lines" and validator predicates were not checked; pass --agents <module> to check them\n',
    );
    const pinned = await tierflow('validate', 'test/fixtures/workflows/unknown-model.yaml');
    expect(pinned.code).toBe(2);
    expect(pinned.stderr).toMatchInlineSnapshot(`
      "test/fixtures/workflows/unknown-model.yaml:6:12 error MODEL_UNKNOWN at tasks.ask.model
        model "gpt-4o-minii" is not in the model catalog
        hint: did you mean "gpt-4o-mini"?
      "
    `);
  });
});

describe('simulated answers in --json', () => {
  it('marks the tasks the offline simulation answered', async () => {
    const { stdout } = await tierflow('run', 'workflows/code-review.yaml', '--json');
    const result = JSON.parse(stdout) as { tasks: { id: string; simulated: boolean }[] };
    expect(result.tasks.map((task) => [task.id, task.simulated])).toEqual([
      ['diff', false],
      ['review-security', true],
      ['review-tests', true],
      ['review-style', true],
      ['verdict', true],
    ]);
  });
});
