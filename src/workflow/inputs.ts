// Workflow inputs: checking declared defaults at load time, and resolving the values a run gets.
import { didYouMeanHint } from '../diagnostics/index.ts';
import { ConfigError, type Diagnostic } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import type { InputType, Workflow } from './model.ts';
import { isRecord, type RawWorkflow } from './raw-view.ts';
import { nameList, type Report } from './report.ts';

const typeWords: Record<InputType, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

function matches(type: InputType, value: Json): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isRecord(value);
  }
}

const booleanWords: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

/** Converts a command-line string to the declared type; undefined when it cannot be. */
export function coerceInput(type: InputType, text: string): Json | undefined {
  switch (type) {
    case 'string':
      return text;
    case 'number': {
      const value = text.trim() === '' ? Number.NaN : Number(text);
      return Number.isFinite(value) ? value : undefined;
    }
    case 'boolean':
      return booleanWords[text.trim().toLowerCase()];
    case 'array':
    case 'object': {
      try {
        const value = JSON.parse(text) as Json;
        return matches(type, value) ? value : undefined;
      } catch {
        return undefined;
      }
    }
  }
}

/** Reports input defaults that do not match their declared type. */
export function checkInputDefaults(raw: RawWorkflow, report: Report): void {
  const inputs = raw.root.inputs;
  if (!isRecord(inputs)) return;
  for (const [name, spec] of Object.entries(inputs)) {
    if (!isRecord(spec) || spec.default === undefined || spec.default === null) continue;
    const type =
      typeof spec.type === 'string' && spec.type in typeWords ? (spec.type as InputType) : 'string';
    if (!matches(type, spec.default as Json)) {
      report(
        'WORKFLOW_INPUT_INVALID',
        ['inputs', name, 'default'],
        `the default of input ${JSON.stringify(name)} is not ${typeWords[type]}`,
        {
          hint: type === 'string' ? 'quote the value' : `change the default or the type`,
        },
      );
    }
  }
}

function problem(
  workflow: Workflow,
  code: Diagnostic['code'],
  name: string,
  message: string,
  hint?: string,
): Diagnostic {
  const diagnostic: Diagnostic = {
    file: workflow.sourcePath,
    line: undefined,
    column: undefined,
    code,
    path: `inputs.${name}`,
    message,
  };
  if (hint !== undefined) diagnostic.hint = hint;
  return diagnostic;
}

/**
 * The input values of a run: given values (command-line strings are converted to the declared type),
 * then defaults. Throws one ConfigError listing every missing required input and every bad value.
 */
export function resolveWorkflowInputs(
  workflow: Workflow,
  given: Readonly<Record<string, string | Json>>,
): Record<string, Json> {
  const declared = Object.keys(workflow.inputs);
  const problems: Diagnostic[] = [];
  const values: Record<string, Json> = {};
  for (const [name, value] of Object.entries(given)) {
    const spec = workflow.inputs[name];
    if (spec === undefined || !Object.hasOwn(workflow.inputs, name)) {
      const known =
        declared.length === 0 ? 'the workflow declares no inputs' : `declared: ${nameList(declared)}`;
      problems.push(
        problem(
          workflow,
          'WORKFLOW_INPUT_INVALID',
          name,
          `input ${JSON.stringify(name)} is not declared by workflow ${JSON.stringify(workflow.id)}; ${known}`,
          didYouMeanHint(name, declared),
        ),
      );
      continue;
    }
    const converted =
      typeof value === 'string' && spec.type !== 'string' ? coerceInput(spec.type, value) : value;
    if (converted === undefined || !matches(spec.type, converted)) {
      const shown = JSON.stringify(value);
      problems.push(
        problem(
          workflow,
          'WORKFLOW_INPUT_INVALID',
          name,
          `input ${JSON.stringify(name)} expects ${typeWords[spec.type]}, got ${shown}`,
          spec.type === 'array' || spec.type === 'object'
            ? `give it as JSON, e.g. --input ${name}='${spec.type === 'array' ? '["a","b"]' : '{"a":1}'}'`
            : undefined,
        ),
      );
      continue;
    }
    values[name] = converted;
  }
  const missing = declared.filter(
    (name) =>
      workflow.inputs[name]!.required &&
      !Object.hasOwn(given, name) &&
      workflow.inputs[name]!.default === undefined,
  );
  if (missing.length > 0) {
    const list = nameList(missing);
    problems.push(
      problem(
        workflow,
        'WORKFLOW_INPUT_MISSING',
        missing[0]!,
        `workflow ${JSON.stringify(workflow.id)} needs input${missing.length === 1 ? '' : 's'} ${list}`,
        `pass ${missing.map((name) => `--input ${name}=...`).join(' ')}`,
      ),
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  for (const [name, spec] of Object.entries(workflow.inputs)) {
    if (!Object.hasOwn(values, name) && spec.default !== undefined) values[name] = spec.default;
  }
  return values;
}
