import { ConfigError, type Diagnostic } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import type { InputType, Workflow } from '../workflow/model.ts';

/**
 * The run's `inputs`: given values, then declared defaults; every required input present, every
 * value of its declared type, no undeclared names. A string given for a number or boolean input
 * (as from `--input n=3`) is converted when it reads as one. Throws one ConfigError naming each problem.
 */
export function resolveInputs(
  workflow: Workflow,
  given: Readonly<Record<string, Json>> = {},
): Record<string, Json> {
  const problems: Diagnostic[] = [];
  const problem = (
    code: Diagnostic['code'],
    name: string,
    message: string,
    extra: Partial<Diagnostic> = {},
  ) =>
    problems.push({
      file: undefined,
      line: undefined,
      column: undefined,
      code,
      path: `inputs.${name}`,
      message,
      ...extra,
    });
  const resolved: Record<string, Json> = {};
  const declared = Object.keys(workflow.inputs);
  for (const name of Object.keys(given)) {
    if (workflow.inputs[name] === undefined) {
      const known =
        declared.length === 0
          ? 'it declares none'
          : `it declares ${declared.map((key) => `"${key}"`).join(', ')}`;
      problem(
        'WORKFLOW_INPUT_INVALID',
        name,
        `Input "${name}" is not declared by workflow "${workflow.id}"; ${known}.`,
      );
    }
  }
  for (const [name, spec] of Object.entries(workflow.inputs)) {
    const value = coerce(given[name], spec.type) ?? spec.default;
    if (value === undefined) {
      if (spec.required) {
        problem(
          'WORKFLOW_INPUT_MISSING',
          name,
          `Workflow "${workflow.id}" needs input "${name}" (${spec.type}).`,
          {
            hint: `Pass it, e.g. --input ${name}=...`,
          },
        );
      }
      continue;
    }
    if (typeOf(value) !== spec.type) {
      problem('WORKFLOW_INPUT_INVALID', name, `Input "${name}" must be a ${spec.type}.`, {
        expected: spec.type,
        got: JSON.stringify(value),
      });
      continue;
    }
    resolved[name] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return resolved;
}

function typeOf(value: Json): InputType | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as InputType;
}

function coerce(value: Json | undefined, type: InputType): Json | undefined {
  if (typeof value !== 'string') return value;
  if (type === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
