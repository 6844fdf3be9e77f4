import type { z } from 'zod';
import { OrchestratorError } from '../errors.ts';

/**
 * Parses a built-in agent's `input` with its schema; a mismatch becomes AGENT_INPUT_INVALID naming
 * the task, the agent, each field and what was expected.
 */
export function parseAgentInput<T>(
  schema: z.ZodType<T>,
  input: unknown,
  agent: string,
  taskId: string,
  example: string,
): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = ['input', ...issue.path.map(String)].join('.');
    return `${path}: ${describeIssue(issue)}`;
  });
  throw new OrchestratorError(
    'AGENT_INPUT_INVALID',
    `Task "${taskId}" gave agent "${agent}" invalid input: ${problems.join('; ')}.`,
    {
      hint: `Write it as ${example}.`,
    },
  );
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_key':
      return `bad name: ${issue.issues[0]?.message ?? issue.message}`;
    default:
      return issue.message;
  }
}
