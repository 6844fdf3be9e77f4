// 10,000 seeded malformed workflows: the loader rejects each with a ConfigError whose diagnostics all
// carry a code and a path, never throws anything else, and never writes to stdout or stderr.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { parseWorkflow } from '../../src/workflow/index.ts';
import { fuzzCase } from './fuzz-cases.ts';
import { workflowArbitrary } from './random-workflow.ts';

describe('loader fuzz', () => {
  afterEach(() => vi.restoreAllMocks());

  it('rejects 10,000 malformed workflows with positioned ConfigErrors and stays silent', {
    timeout: 90_000,
  }, () => {
    const valid = fc.sample(workflowArbitrary(4), { numRuns: 50, seed: 7 });
    const writes: string[] = [];
    const capture = (chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    for (const method of ['log', 'warn', 'error', 'info', 'debug'] as const)
      vi.spyOn(console, method).mockImplementation(capture);
    vi.spyOn(process, 'emitWarning').mockImplementation(capture);

    const unexpected: string[] = [];
    const badDiagnostics: string[] = [];
    let rejected = 0;
    for (let seed = 0; seed < 10_000; seed++) {
      const { text, rng } = fuzzCase(seed, valid);
      try {
        const checkNames = rng.next() < 0.5;
        parseWorkflow(text, {
          file: 'fuzz.yaml',
          knownAgents: checkNames ? ['llm'] : undefined,
          knownTaskTypes: checkNames ? ['coding', 'review'] : undefined,
          knownModels: checkNames ? ['gpt-4o-mini'] : undefined,
        });
      } catch (error) {
        if (!(error instanceof ConfigError)) {
          unexpected.push(`seed ${seed}: ${error instanceof Error ? error.stack : String(error)}`);
          continue;
        }
        rejected++;
        for (const diagnostic of error.diagnostics) {
          const positioned =
            text.trim() === '' ||
            (Number.isInteger(diagnostic.line) && diagnostic.line! >= 1 && diagnostic.column! >= 1);
          if (
            typeof diagnostic.path !== 'string' ||
            typeof diagnostic.code !== 'string' ||
            diagnostic.message === '' ||
            !positioned
          ) {
            badDiagnostics.push(`seed ${seed}: ${JSON.stringify(diagnostic)}`);
          }
        }
        if (error.diagnostics.length === 0) badDiagnostics.push(`seed ${seed}: no diagnostics`);
      }
    }
    vi.restoreAllMocks();
    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(badDiagnostics.slice(0, 5)).toEqual([]);
    expect(writes).toEqual([]);
    // Most mutations break the file; the rest happen to stay valid.
    expect(rejected).toBeGreaterThan(7000);
  });
});
