import { OrchestratorError } from '../errors.ts';
import type { Usage } from '../events/vocabulary.ts';
import { describeNonJson, isJson } from './json.ts';

const usageKeys = new Set(['inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens']);
const shapeHint =
  'A handler returns { output, quality?, usage? }; output is plain JSON data (use null for none).';

/**
 * Checks what a handler returned (a handler written in plain JavaScript may return anything): an
 * AgentResult with JSON output gives undefined, anything else the AGENT_OUTPUT_INVALID error.
 */
export function checkResult(result: unknown, taskId: string, agent: string): OrchestratorError | undefined {
  if (typeof result === 'object' && result !== null) {
    const { output, quality, usage } = result as { output?: unknown; quality?: unknown; usage?: unknown };
    if (quality === undefined && usage === undefined && (output === null || typeof output === 'string'))
      return undefined;
  }
  const invalid = (what: string) => invalidResult(what, taskId, agent);
  if (typeof result !== 'object' || result === null || !('output' in result)) {
    return invalid(`${describeResult(result)} instead of an object with an "output" field`);
  }
  const { output, quality, usage } = result as { output: unknown; quality?: unknown; usage?: unknown };
  if (!isJson(output)) return invalid(`an output that is not JSON (${describeNonJson(output)})`);
  if (quality !== undefined && !(typeof quality === 'number' && quality >= 0 && quality <= 1)) {
    return invalid(`quality ${String(quality)}; expected a number from 0 to 1`);
  }
  if (usage !== undefined && !isUsage(usage)) {
    return invalid(
      `usage ${safeJson(usage)}; expected { inputTokens?, outputTokens?, cachedInputTokens?, reasoningTokens? } as whole numbers >= 0`,
    );
  }
  return undefined;
}

function invalidResult(what: string, taskId: string, agent: string): OrchestratorError {
  const message = `Agent "${agent}" returned ${what} for task "${taskId}".`;
  return new OrchestratorError('AGENT_OUTPUT_INVALID', message, { hint: shapeHint });
}

function isUsage(value: unknown): value is Usage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const [key, count] of Object.entries(value)) {
    if (!usageKeys.has(key)) return false;
    if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 0)) return false;
  }
  return true;
}

function describeResult(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
