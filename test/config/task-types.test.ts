import { describe, expect, it } from 'vitest';
import { parseTaskTypeCatalog } from '../../src/config/task-types.ts';
import { formatDiagnostics } from '../../src/diagnostics/index.ts';
import { ConfigError } from '../../src/errors.ts';
import { shippedConfig } from '../routing/fixtures.ts';

function problems(text: string): string {
  try {
    parseTaskTypeCatalog(text, 'config/task-types.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return formatDiagnostics(error.diagnostics);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the shipped task-type catalog', () => {
  const { taskTypes } = shippedConfig();

  it('has eighteen or more types, including those a coding team needs', () => {
    const ids = taskTypes.types.map((type) => type.id);
    expect(ids.length).toBeGreaterThanOrEqual(18);
    for (const id of [
      'ui',
      'coding',
      'testing',
      'debugging',
      'documentation',
      'research',
      'analysis',
      'automation',
      'log_summary',
      'syntax_check',
      'refactor',
      'architecture',
      'security_review',
      'production_critical',
    ])
      expect(ids).toContain(id);
    expect(ids).toContain(taskTypes.defaultType);
  });
});

describe('task-types.yaml problems', () => {
  it('reports bad keywords, invalid patterns and an unknown default type in one pass', () => {
    const text = `defaultType: genral
simpleRequest: { maxWords: 9, words: [typo] }
types:
  - id: general
    complexity: 2
    expectedOutputTokens: 800
    keywords: [Refactor, "a  b", re*, ok*]
    patterns: ['(unclosed']
  - id: other
    complexity: 3
    expectedOutputTokens: 100
`;
    expect(problems(text)).toMatchInlineSnapshot(`
      "config/task-types.yaml:1:14 error CONFIG_INVALID at defaultType
        defaultType "genral" is not one of the types below
        hint: did you mean "general"?

      config/task-types.yaml:7:16 error CONFIG_INVALID at types.general.keywords[0]
        cannot match keyword "Refactor": keywords are matched in lower case; write them in lower case

      config/task-types.yaml:7:26 error CONFIG_INVALID at types.general.keywords[1]
        cannot match keyword "a  b": a keyword is words of letters and digits separated by single spaces (punctuation is ignored when matching)

      config/task-types.yaml:7:34 error CONFIG_INVALID at types.general.keywords[2]
        cannot match keyword "re*": a stem is one word of at least 3 letters or digits, then *

      config/task-types.yaml:7:39 error CONFIG_INVALID at types.general.keywords[3]
        cannot match keyword "ok*": a stem is one word of at least 3 letters or digits, then *

      config/task-types.yaml:8:16 error CONFIG_INVALID at types.general.patterns[0]
        invalid regular expression: /(unclosed/i: Unterminated group
        hint: patterns use JavaScript regular expression syntax; backslashes need single quotes in YAML"
    `);
  });

  it('checks the schema first', () => {
    const text = `defaultType: general
simpleRequest: { maxWords: 9, words: [typo] }
types:
  - { id: general, complexity: 5, expectedOutputTokens: 100, keyword: [x] }
`;
    expect(problems(text)).toMatchInlineSnapshot(`
      "config/task-types.yaml:4:32 error CONFIG_INVALID at types.general.complexity
        expected a number at most 4, got 5

      config/task-types.yaml:4:62 error CONFIG_UNKNOWN_KEY at types.general.keyword
        unknown key "keyword"
        hint: did you mean "keywords"?"
    `);
  });

  it('reports the duplicate id once the schema holds', () => {
    const text = `defaultType: general
simpleRequest: { maxWords: 9, words: [typo] }
types:
  - { id: general, complexity: 2, expectedOutputTokens: 800 }
  - { id: general, complexity: 3, expectedOutputTokens: 100 }
`;
    expect(problems(text)).toMatchInlineSnapshot(`
      "config/task-types.yaml:5:11 error CONFIG_INVALID at types[1].id
        duplicate task type "general"; types[0] has the same id"
    `);
  });
});
