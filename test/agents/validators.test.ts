// Validators: the registry, predicates' verdicts, command validators (output on stdin and in
// $TIERFLOW_OUTPUT, inert against injection) and the `validators` export of an agents module.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgentModule } from '../../src/agents/load-module.ts';
import type { ValidatorContext, ValidatorPredicate } from '../../src/agents/validator-types.ts';
import { createValidatorRegistry } from '../../src/agents/validators.ts';
import type { Json } from '../../src/events/vocabulary.ts';
import { silentLogger } from '../../src/log.ts';
import type { CommandValidator } from '../../src/workflow/model.ts';

function context(signal: AbortSignal = new AbortController().signal): ValidatorContext {
  return {
    runId: 'run-1',
    workflowId: 'flow',
    taskId: 'fix',
    attempt: 1,
    input: undefined,
    prompt: 'Fix it',
    item: undefined,
    model: { id: 'small-1', provider: 'fake', tier: 1 },
    signal,
    log: silentLogger,
  };
}

function command(text: string, overrides: Partial<CommandValidator> = {}): CommandValidator {
  return {
    kind: 'command',
    command: text,
    cwd: undefined,
    env: {},
    timeoutMs: undefined,
    optimistic: true,
    ...overrides,
  };
}

const predicate = (name: string) => ({ kind: 'predicate' as const, predicate: name, optimistic: true });

describe('validator registry', () => {
  it('refuses a taken name, a bad name and a non-function, naming each', () => {
    const registry = createValidatorRegistry();
    registry.register('nonempty', (output) => output !== '');
    const messages = [
      () => registry.register('nonempty', () => true),
      () => registry.register('1bad', () => true),
      () => registry.register('broken', 42 as unknown as ValidatorPredicate),
    ].map((register) => {
      try {
        register();
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(messages).toMatchInlineSnapshot(`
      [
        "Validator "nonempty" is already registered.",
        "Validator name "1bad" is not valid.",
        "Validator "broken" must be a function (output, ctx) => boolean | { ok }; got number.",
      ]
    `);
    expect(registry.names()).toEqual(['nonempty']);
  });

  it.each([
    ['true', (): boolean => true, { ok: true, quality: undefined, reason: undefined }],
    ['false', (): boolean => false, { ok: false, quality: undefined, reason: undefined }],
    ['a verdict', async () => ({ ok: true, quality: 0.7 }), { ok: true, quality: 0.7, reason: undefined }],
    [
      'a failing verdict',
      () => ({ ok: false, reason: 'no diff' }),
      { ok: false, quality: undefined, reason: 'no diff' },
    ],
  ] as const)('reads a predicate that returns %s', async (_, fn, expected) => {
    const registry = createValidatorRegistry();
    registry.register('check', fn as ValidatorPredicate);
    expect(await registry.check(predicate('check'), 'answer', context())).toEqual(expected);
  });

  it('fails validation, with a reason, for a predicate that throws or returns something else', async () => {
    const registry = createValidatorRegistry();
    registry.register('throws', () => {
      throw new Error('cannot parse the diff');
    });
    registry.register('junk', () => 'yes' as unknown as boolean);
    registry.register('bad-quality', () => ({ ok: true, quality: 2 }));
    const reasons = [];
    for (const name of ['throws', 'junk', 'bad-quality', 'missing'])
      reasons.push((await registry.check(predicate(name), 'answer', context())).reason);
    expect(reasons).toMatchInlineSnapshot(`
      [
        "the predicate threw: cannot parse the diff",
        "the predicate returned string; expected a boolean or { ok, quality?, reason? }",
        "the predicate gave quality 2; expected 0 to 1",
        "no predicate named "missing" is registered",
      ]
    `);
  });

  it('gives the predicate the output and the attempt', async () => {
    const registry = createValidatorRegistry();
    const seen: [Json, string, number][] = [];
    registry.register('spy', (output, ctx) => {
      seen.push([output, ctx.taskId, ctx.model?.tier ?? 0]);
      return true;
    });
    await registry.check(predicate('spy'), { diff: '+1' }, context());
    expect(seen).toEqual([[{ diff: '+1' }, 'fix', 1]]);
  });
});

describe('command validators', () => {
  const registry = createValidatorRegistry();

  it('passes on exit code 0 and fails on another, quoting the last lines the command printed', async () => {
    expect(await registry.check(command('exit 0'), 'x', context())).toEqual({
      ok: true,
      quality: undefined,
      reason: undefined,
    });
    const failed = await registry.check(
      command('echo "3 tests, 1 failed"; echo "expected 4, got 5" >&2; exit 1'),
      'x',
      context(),
    );
    expect(failed).toMatchInlineSnapshot(`
      {
        "ok": false,
        "quality": undefined,
        "reason": "command "echo \\"3 tests, 1 failed\\"; echo \\"expected 4, got 5\\" >&2; exit 1" exited with code 1; it printed last:
      3 tests, 1 failed
      expected 4, got 5",
      }
    `);
  });

  it('gives the output as JSON on stdin and in $TIERFLOW_OUTPUT, and the env values as variables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierflow-validate-'));
    const check = command(
      'cat > stdin.json; printf %s "$TIERFLOW_OUTPUT" > env.json; printf %s "$WANT" > want.txt',
      {
        cwd: dir,
        env: { WANT: 'a diff' },
      },
    );
    const output = { diff: '+const a = 1;', lines: 2 };
    expect((await registry.check(check, output, context())).ok).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'stdin.json'), 'utf8'))).toEqual(output);
    expect(JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8'))).toEqual(output);
    expect(readFileSync(join(dir, 'want.txt'), 'utf8')).toBe('a diff');
  });

  it('keeps an output that looks like shell code inert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierflow-inject-'));
    const output = `$(touch pwned-1) \`touch pwned-2\` "; touch pwned-3; echo " '; touch pwned-4; '`;
    const check = command('test -n "$TIERFLOW_OUTPUT" && grep -q pwned', { cwd: dir });
    expect((await registry.check(check, output, context())).ok).toBe(true);
    expect(
      ['pwned-1', 'pwned-2', 'pwned-3', 'pwned-4'].filter((name) => existsSync(join(dir, name))),
    ).toEqual([]);
  });

  it('fails validation when the command cannot start', async () => {
    const result = await registry.check(command('true', { cwd: '/no/such/dir' }), 'x', context());
    expect(result.reason).toMatchInlineSnapshot(
      `"Could not start command "true" in /no/such/dir: the directory does not exist."`,
    );
  });

  it('rejects with the reason when the attempt is aborted', async () => {
    const controller = new AbortController();
    const running = registry.check(command('sleep 5'), 'x', context(controller.signal));
    controller.abort(new Error('attempt timed out'));
    await expect(running).rejects.toThrow('attempt timed out');
  });

  it('hides the given environment variables from the command', async () => {
    process.env.TIERFLOW_TEST_SECRET = 'sk-test-123';
    try {
      const hiding = createValidatorRegistry({ hiddenEnv: ['TIERFLOW_TEST_SECRET'] });
      const check = command('test -z "$TIERFLOW_TEST_SECRET"');
      expect((await hiding.check(check, 'x', context())).ok).toBe(true);
      expect((await registry.check(check, 'x', context())).ok).toBe(false);
    } finally {
      delete process.env.TIERFLOW_TEST_SECRET;
    }
  });
});

describe('validators of an agents module', () => {
  it('registers the named export `validators` beside the agents', async () => {
    const agents: string[] = [];
    const validators = createValidatorRegistry();
    const names = await loadAgentModule(
      'workflows/agents/example-agents.ts',
      { register: (name) => agents.push(name) },
      validators,
    );
    expect(names).toEqual(['builder', 'lines']);
    expect(validators.names()).toEqual(['every-step-answered']);
    const check = predicate('every-step-answered');
    expect(
      await validators.check(check, '## 1. Add a flag\n+ flag\n\n## 2. Test it\n+ test', context()),
    ).toEqual({
      ok: true,
      quality: 1,
      reason: undefined,
    });
    expect(await validators.check(check, '## 1. Add a flag\n+ flag\n\n## 2. Test it\n', context())).toEqual({
      ok: false,
      quality: 0.5,
      reason: '1 of 2 steps have no change',
    });
  });

  it('rejects a `validators` export that is not a record of functions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierflow-module-'));
    const path = join(dir, 'bad.mjs');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'export const validators = { good: () => true, bad: 3 };\n');
    const error = await loadAgentModule(path, { register: () => undefined }, createValidatorRegistry()).catch(
      (caught: unknown) => caught as Error,
    );
    expect((error as Error).message.replace(path, '<module>')).toMatchInlineSnapshot(
      `"Validator "bad" in "<module>" is a number, not a function."`,
    );
  });
});
