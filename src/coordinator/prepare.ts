import { describeThrown, OrchestratorError } from '../errors.ts';
import type { Json, Priority } from '../events/vocabulary.ts';
import type { TemplateScope, Validator } from '../workflow/model.ts';
import { describeNonJson, isJson } from './json.ts';
import type { Gate } from './scheduler.ts';
import type { RunContext, TaskRecord, Unit } from './state.ts';

/** Scheduling rank of each priority: lower starts first. */
export const priorityRanks: Readonly<Record<Priority, number>> = { critical: 0, high: 1, normal: 2, low: 3 };
const priorities: readonly Priority[] = ['critical', 'high', 'normal', 'low'];
const noModels: readonly string[] = Object.freeze([]);

/** Renders one templated field of a task; a failure names the task and the field. */
export function renderField(
  context: RunContext,
  record: TaskRecord,
  field: string,
  value: unknown,
  scope: () => TemplateScope,
): unknown {
  if (typeof value === 'string' && !value.includes('${{')) return value;
  try {
    return context.renderTemplate(value, scope());
  } catch (error) {
    const id = record.definition.id;
    if (error instanceof OrchestratorError) {
      return fail(
        new OrchestratorError(error.code, `Task "${id}" ${field}: ${error.message}`, { hint: error.hint }),
      );
    }
    const message = error instanceof Error ? error.message : describeThrown(error);
    return fail(
      new OrchestratorError('EXPRESSION_FAILED', `Task "${id}" could not render its ${field}: ${message}`),
    );
  }
}

function fail(error: OrchestratorError): never {
  throw error;
}

/**
 * Builds a unit of a task whose parents have settled: input and prompt rendered now, once for all
 * its attempts. For a `foreach` item the scope also holds the item under the task's `as` name.
 */
export function prepareUnit(
  context: RunContext,
  record: TaskRecord,
  scope: () => TemplateScope,
  gates: readonly Gate[],
  item: Json | undefined,
  itemIndex: number,
): Unit {
  const { definition } = record;
  const isItem = record.fanOut !== undefined;
  const unitScope = isItem ? () => ({ ...scope(), [definition.as]: item }) : scope;
  let input: Json | undefined;
  if (definition.input !== undefined) {
    const rendered = renderField(context, record, 'input', definition.input, unitScope);
    if (!isJson(rendered)) {
      throw new OrchestratorError(
        'EXPRESSION_FAILED',
        `Task "${definition.id}" input rendered to ${describeNonJson(rendered)}, which is not JSON.`,
      );
    }
    input = rendered;
  }
  let prompt: string | undefined;
  if (definition.prompt !== undefined) {
    const rendered = renderField(context, record, 'prompt', definition.prompt, unitScope);
    prompt = typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
  }
  const validator =
    definition.validate === undefined
      ? undefined
      : renderValidator(context, record, definition.validate, unitScope);
  const rank = priorityRanks[definition.priority];
  const id = isItem ? `${definition.id}[${itemIndex}]` : definition.id;
  const prior = context.resume?.attempts[id];
  if (prior !== undefined) record.tally.attempts += prior.last;
  return {
    id,
    record,
    itemIndex,
    item,
    input,
    prompt,
    priority: priorities[Math.min(rank, context.runPriorityRank)] ?? definition.priority,
    priorityRank: rank,
    fileIndex: record.index,
    gates,
    attempts: prior?.last ?? 0,
    providerRetries: 0,
    priorAdjust: prior === undefined ? 0 : prior.counted - prior.last,
    deadlineAt: undefined,
    requestedTier: undefined,
    excludeModels: noModels,
    current: undefined,
    validator,
  };
}

/** A command validator's `cwd` and `env` may hold templates; its command never does (checked at load). */
function renderValidator(
  context: RunContext,
  record: TaskRecord,
  validator: Validator,
  scope: () => TemplateScope,
): Validator {
  if (validator.kind !== 'command') return validator;
  const cwd =
    validator.cwd === undefined
      ? undefined
      : renderField(context, record, 'validate.cwd', validator.cwd, scope);
  const env: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(validator.env)) {
    const rendered = renderField(context, record, `validate.env.${name}`, value, scope);
    env[name] =
      typeof rendered === 'string' || typeof rendered === 'number' || typeof rendered === 'boolean'
        ? rendered
        : JSON.stringify(rendered ?? null);
  }
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) {
    throw new OrchestratorError(
      'EXPRESSION_FAILED',
      `Task "${record.definition.id}" validate.cwd rendered to ${JSON.stringify(cwd)}; expected a directory path.`,
    );
  }
  return { ...validator, cwd, env };
}
