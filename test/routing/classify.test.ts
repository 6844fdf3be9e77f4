import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../src/routing/classify.ts';
import { shippedConfig } from './fixtures.ts';

const { taskTypes, config } = shippedConfig();
const classifier = createClassifier(taskTypes, config.complexity);

describe('classification by the shipped rules', () => {
  it.each([
    ['Build a responsive navbar component with Tailwind', 'ui'],
    ['Implement a REST endpoint for user signup', 'coding'],
    ['Write unit tests with vitest for the parser, mocking the file system', 'testing'],
    ['The app crashes with a stack trace when the cache is empty; find the bug', 'debugging'],
    ['Update the README and the changelog for the new release', 'documentation'],
    ['Research alternatives to Redis and compare their pros and cons', 'research'],
    ['Analyze last month metrics and find trends in the dataset', 'analysis'],
    ['Automate the deploy with a GitHub Actions pipeline', 'automation'],
    ['Summarize these logs from journalctl', 'log_summary'],
    ['2025-01-01 12:00:01 INFO server started\n2025-01-01 12:00:02 WARN disk slow', 'log_summary'],
    ['Check the syntax and lint this snippet', 'syntax_check'],
    ['Refactor the billing module to remove dead code', 'refactor'],
    ['Propose an architecture for an event driven system with microservices', 'architecture'],
    ['Review the authentication flow for XSS and SQL injection vulnerabilities', 'security_review'],
    ['Production outage: roll back the hotfix and write the incident postmortem', 'production_critical'],
    ['Investigate the SEV1 in prod', 'production_critical'],
    ['Make the hot path faster: profile allocations and remove the bottleneck', 'performance'],
    ['Review this pull request and give feedback on the diff', 'code_review'],
    ['Write a SQL query with an index on the orders table', 'database'],
    ['Plan the roadmap and break down the milestones', 'planning'],
    ['Convert this CSV to JSON', 'data_transform'],
    ['Translate the onboarding guide into French and Japanese', 'translation'],
    ['Give me a tl;dr summary of the meeting notes', 'summarization'],
    ['Hello there', 'general'],
  ])('%j is %s', (text, taskType) => {
    expect(classifier.classify(text).taskType).toBe(taskType);
  });

  it('counts stems, words and phrases once each and names what matched', () => {
    const result = classifier.classify('Refactoring, refactored, refactor: clean up and clean up again');
    expect(result).toMatchObject({
      taskType: 'refactor',
      source: 'rules',
      matched: ['refactor*', 'clean up'],
    });
  });

  it('falls back to the default type when nothing matches', () => {
    expect(classifier.classify('zzz qqq')).toMatchObject({
      taskType: 'general',
      source: 'default',
      matched: [],
    });
  });

  it('breaks a tie in favour of the type listed first', () => {
    // "production" (production_critical) and "security" (security_review): one point each.
    expect(classifier.classify('production security').taskType).toBe('production_critical');
  });
});

describe('hints.taskType', () => {
  it('always wins over the rules', () => {
    expect(classifier.classify('Fix the typo in the README', { taskType: 'architecture' })).toMatchObject({
      taskType: 'architecture',
      source: 'hint',
      points: 4,
      simple: undefined,
    });
  });

  it('is reported, never trusted, when it is not a string', () => {
    expect(classifier.classify('Refactor the parser', { taskType: 42 })).toMatchObject({
      taskType: 'refactor',
      unknownHint: { value: '42', suggestion: undefined },
    });
  });

  it('is reported with a suggestion when it names no type', () => {
    expect(classifier.classify('Refactor the parser', { taskType: 'refactr' })).toMatchObject({
      taskType: 'refactor',
      source: 'rules',
      unknownHint: { value: 'refactr', suggestion: 'refactor' },
    });
  });
});

describe('short simple requests', () => {
  it.each([
    ['Fix the typo in the README', 'documentation', 1, 'typo'],
    ['Rename getUser to fetchUser', 'refactor', 1, 'rename'],
    ['Add a comment to the parse function', 'coding', 1, 'comment'],
    ['Fix the whitespace', 'general', 1, 'whitespace'],
  ])('%j leans to 1 point', (text, taskType, points, word) => {
    const result = classifier.classify(text);
    expect(result).toMatchObject({ taskType, points });
    expect(result.simple?.word).toBe(word);
  });

  it.each([
    [
      'ten words or more are not short',
      'Please rename the getUser function to fetchUser in every single module',
    ],
    ['risky types never lean down', 'Rename the prod database column'],
    ['no simple-task word, no lean', 'Implement the parse function'],
  ])('%s', (_rule, text) => {
    const result = classifier.classify(text);
    expect(result.simple).toBeUndefined();
    expect(result.points).toBe(taskTypes.types.find((type) => type.id === result.taskType)?.complexity);
  });
});

describe('files referenced', () => {
  it.each([
    ['no file here', 0],
    ['Fix src/app.ts', 1],
    ['Compare src/app.ts and src/app.ts', 1],
    ['Touch a.ts, b.py, docs/c.md and config/d.yaml', 4],
    ['Node.js is not a file name? It is counted: node.js', 1],
    ['e.g. version 1.2 and .ts alone', 0],
  ])('%j references %i files', (text, files) => {
    expect(classifier.classify(text).filesReferenced).toBe(files);
  });

  it('adds the files listed in hints.files', () => {
    expect(classifier.classify('Fix src/app.ts', { files: ['a.ts', 'b.ts'] }).filesReferenced).toBe(3);
  });

  it('reads only the first scanChars characters', () => {
    const text = `${'word '.repeat(config.complexity.scanChars / 5)} src/late.ts refactor`;
    expect(classifier.classify(text)).toMatchObject({ filesReferenced: 0, taskType: 'general' });
  });
});
