import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RouteFlags, route } from '../../src/cli/commands/route.ts';

async function run(text: string, flags: RouteFlags = {}, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await route(
    text,
    flags,
    { stdout: (chunk) => (stdout += chunk), stderr: (chunk) => (stderr += chunk) },
    env,
  );
  return { code, stdout, stderr };
}

describe('tierflow route', () => {
  it('prints type, complexity with factors, category, tier, model, cost, reason and candidates', async () => {
    const result = await run('Fix the typo in README.md');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchInlineSnapshot(`
      "type        documentation (matched readme)
      complexity  3 FAST = context 1 (~7 tokens) + type 1 + files 1 (1 file) + failures 0
      tier        1 (allowed: 1)
      model       gemini-2.5-flash-lite (google)
      est. cost   $0.000321 per call
      reason      type documentation (matched readme); complexity 3 = context 1 (~7 tokens) + type 1 (short simple request: 6 words with "typo") + files 1 (1 file) + failures 0 -> FAST; tier 1 (FAST); chose gemini-2.5-flash-lite (google, tier 1): cheapest meeting quality >= 0.60, cost <= $0.002, latency <= 1000 ms (est. $0.000321, quality 0.62, 500 ms); 12 candidates (4 below quality, 2 over cost, 4 over latency)
      candidates (cheapest first)
        qwen2.5-coder:7b         tier 1         $0  q 0.62   1400 ms  dropped: latency 1400 ms > SLA 1000 ms
        llama3.1:8b              tier 1         $0  q 0.58   1500 ms  dropped: quality 0.58 < 0.60, latency 1500 ms > SLA 1000 ms
        mistral:7b               tier 1         $0  q 0.54   1300 ms  dropped: quality 0.54 < 0.60, latency 1300 ms > SLA 1000 ms
        llama3.2:3b              tier 1         $0  q 0.50    800 ms  dropped: quality 0.50 < 0.60
        gemini-2.0-flash-lite    tier 1  $0.000241  q 0.56    500 ms  dropped: quality 0.56 < 0.60
        gpt-5-nano               tier 1  $0.000321  q 0.66   2500 ms  dropped: latency 2500 ms > SLA 1000 ms
        gemini-2.5-flash-lite    tier 1  $0.000321  q 0.62    500 ms  chosen
        gpt-4.1-nano             tier 1  $0.000321  q 0.60    600 ms  dropped: same cost as gemini-2.5-flash-lite, ranked after it (free, then quality, then latency)
        gpt-4o-mini              tier 1  $0.000482  q 0.64    700 ms  dropped: costlier than gemini-2.5-flash-lite
        gpt-4.1-mini             tier 1  $0.001283  q 0.68    900 ms  dropped: costlier than gemini-2.5-flash-lite
        claude-3-5-haiku-latest  tier 1  $0.003206  q 0.64    900 ms  dropped: est. $0.003206 > cap $0.002
        claude-haiku-4-5         tier 1  $0.004007  q 0.72    900 ms  dropped: est. $0.004007 > cap $0.002
      "
    `);
  });

  it('takes the task type from --type and the context size from --context-chars', async () => {
    const result = await run('Look at the login flow', {
      type: 'security_review',
      contextChars: 70_000,
      json: true,
    });
    expect(result.code).toBe(0);
    const decision = JSON.parse(result.stdout);
    expect(decision).toMatchObject({
      mode: 'on',
      taskType: 'security_review',
      taskTypeSource: 'hint',
      factors: { context: 3, taskType: 4, files: 1, failures: 0 },
      complexity: 8,
      category: 'COMPLEX',
      tier: 2,
    });
    expect(decision.candidates.filter((c: { dropped: unknown }) => c.dropped === null)).toHaveLength(1);
  });

  it('rejects an unknown --type with exit 2 and a suggestion', async () => {
    const result = await run('Refactor it', { type: 'refactr' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatchInlineSnapshot(`
      "error CLI_INVALID_ARGUMENT: --type "refactr" is not a task type of the catalog
        hint: did you mean "refactor"?
      "
    `);
  });

  it('notes when routing is off or in shadow mode', async () => {
    const result = await run('Write unit tests', {}, { TIERFLOW_ROUTING: 'shadow' });
    expect(result.stdout.split('\n')[0]).toMatchInlineSnapshot(
      `"note        routing is shadow: a run would keep each agent's default model"`,
    );
  });

  it('reports a broken config file with its position and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierflow-route-'));
    writeFileSync(join(dir, 'routing.yaml'), 'mode: sideways\n');
    const result = await run('Write unit tests', { config: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.replaceAll(dir, '<dir>')).toMatchInlineSnapshot(`
      "<dir>/routing.yaml:1:7 error CONFIG_INVALID at mode
        expected one of "on" | "shadow" | "off", got "sideways"
      "
    `);
  });
});
