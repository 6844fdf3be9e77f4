import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkSchema, formatDiagnostics, parseYaml } from '../../src/diagnostics/index.ts';

const taskSchema = z
  .object({
    id: z.string(),
    agent: z.string(),
    phase: z.enum(['scout', 'plan', 'build']).optional(),
    needs: z.array(z.string()).optional(),
    retries: z.number().int().min(0).max(10).optional(),
    tier: z
      .union(
        [
          z.number().int().min(0).max(4),
          z.enum(['weak', 'base', 'strong']),
          z.object({ min: z.number(), max: z.number() }).strict(),
        ],
        {
          error: 'expected a tier 0-4, "weak", "base", "strong" or { min, max }',
        },
      )
      .optional(),
    timeout: z
      .string()
      .regex(/^\d+(ms|s|m|h)$/, { error: 'expected a duration like 30s, 2m or 1h' })
      .optional(),
  })
  .strict();
const fileSchema = z.object({ id: z.string(), tasks: z.array(taskSchema) }).strict();

function problems(text: string): string {
  const parsed = parseYaml(text, 'workflows/review.yaml');
  expect(parsed.diagnostics).toEqual([]);
  const checked = checkSchema(parsed.value, fileSchema, {
    file: 'workflows/review.yaml',
    locate: parsed.locate,
  });
  if (checked.ok) throw new Error('expected problems');
  return formatDiagnostics(checked.diagnostics);
}

describe('checkSchema', () => {
  it('returns the parsed value when it fits', () => {
    const parsed = parseYaml('id: x\ntasks: []\n', 'a.yaml');
    expect(checkSchema(parsed.value, fileSchema, { file: 'a.yaml', locate: parsed.locate })).toEqual({
      ok: true,
      value: { id: 'x', tasks: [] },
    });
  });

  it('names a wrong enum value by task id and suggests the nearest one', () => {
    expect(
      problems(
        'id: review\ntasks:\n  - id: scout\n    agent: shell\n  - id: fix\n    agent: llm\n    phase: biuld\n',
      ),
    ).toMatchInlineSnapshot(`
        "workflows/review.yaml:7:12 error CONFIG_INVALID at tasks.fix.phase
          expected one of "scout" | "plan" | "build", got "biuld"
          hint: did you mean "build"?"
      `);
  });

  it('points an unknown key at the key and suggests the nearest valid key', () => {
    expect(
      problems('id: review\ntasks:\n  - id: fix\n    agent: llm\n    neds: [scout]\n'),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:5:5 error CONFIG_UNKNOWN_KEY at tasks.fix.neds
        unknown key "neds"
        hint: did you mean "needs"?"
    `);
  });

  it('lists valid keys when no key is close', () => {
    expect(
      problems('id: review\ntasks:\n  - id: fix\n    agent: llm\n    zzzzzzzz: 1\n'),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:5:5 error CONFIG_UNKNOWN_KEY at tasks.fix.zzzzzzzz
        unknown key "zzzzzzzz"
        hint: valid keys: id, agent, phase, needs, retries, tier, timeout"
    `);
  });

  it('reports a missing required key at its parent', () => {
    expect(problems('id: review\ntasks:\n  - id: fix\n    phase: plan\n')).toMatchInlineSnapshot(`
      "workflows/review.yaml:3:5 error CONFIG_INVALID at tasks.fix.agent
        missing required key "agent""
    `);
  });

  it('quotes the wrong value as written', () => {
    expect(
      problems('id: review\ntasks:\n  - id: fix\n    agent: llm\n    needs: scout\n    retries: 1.5\n'),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:5:12 error CONFIG_INVALID at tasks.fix.needs
        expected a list, got "scout"

      workflows/review.yaml:6:14 error CONFIG_INVALID at tasks.fix.retries
        expected an integer, got 1.5"
    `);
  });

  it('uses the index when a list item has no id', () => {
    expect(problems('id: review\ntasks:\n  - agent: llm\n    needs: [1]\n')).toMatchInlineSnapshot(`
      "workflows/review.yaml:3:5 error CONFIG_INVALID at tasks[0].id
        missing required key "id"

      workflows/review.yaml:4:13 error CONFIG_INVALID at tasks[0].needs[0]
        expected a string, got 1"
    `);
  });

  it('explains range and format problems in the schema own words', () => {
    expect(
      problems(
        'id: review\ntasks:\n  - id: fix\n    agent: llm\n    retries: 12\n    timeout: soon\n    tier: 7\n',
      ),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:5:14 error CONFIG_INVALID at tasks.fix.retries
        expected a number at most 10, got 12

      workflows/review.yaml:6:14 error CONFIG_INVALID at tasks.fix.timeout
        expected a duration like 30s, 2m or 1h, got "soon"

      workflows/review.yaml:7:11 error CONFIG_INVALID at tasks.fix.tier
        expected a number at most 4, got 7"
    `);
  });

  it('reports a problem inside the matching branch of a union', () => {
    expect(
      problems('id: review\ntasks:\n  - id: fix\n    agent: llm\n    tier: { min: 1, mx: 2 }\n'),
    ).toMatchInlineSnapshot(`
      "workflows/review.yaml:5:11 error CONFIG_INVALID at tasks.fix.tier.max
        missing required key "max"

      workflows/review.yaml:5:21 error CONFIG_UNKNOWN_KEY at tasks.fix.tier.mx
        unknown key "mx"
        hint: did you mean "max"?"
    `);
  });

  it('reports an empty document', () => {
    expect(problems('')).toMatchInlineSnapshot(`
      "workflows/review.yaml error CONFIG_INVALID
        expected a mapping, got null (an empty value)"
    `);
  });

  it('reports every problem in one pass, sorted by position', () => {
    const text = 'tasks:\n  - id: b\n    agent: 1\n  - id: a\n    phase: x\nextra: true\n';
    expect(problems(text)).toMatchInlineSnapshot(`
      "workflows/review.yaml:1:1 error CONFIG_INVALID at id
        missing required key "id"

      workflows/review.yaml:3:12 error CONFIG_INVALID at tasks.b.agent
        expected a string, got 1

      workflows/review.yaml:4:5 error CONFIG_INVALID at tasks.a.agent
        missing required key "agent"

      workflows/review.yaml:5:12 error CONFIG_INVALID at tasks.a.phase
        expected one of "scout" | "plan" | "build", got "x"

      workflows/review.yaml:6:1 error CONFIG_UNKNOWN_KEY at extra
        unknown key "extra"
        hint: valid keys: id, tasks"
    `);
    const report = problems(text);
    expect(
      report
        .split('\n')
        .filter((line) => line.startsWith('workflows/'))
        .map((line) => line.split(' ')[0]),
    ).toEqual([
      'workflows/review.yaml:1:1',
      'workflows/review.yaml:3:12',
      'workflows/review.yaml:4:5',
      'workflows/review.yaml:5:12',
      'workflows/review.yaml:6:1',
    ]);
  });
});
