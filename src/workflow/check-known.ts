// Load-time checks of the names a workflow takes from outside: agents, pinned models and task types.
// They read the tolerant raw view, so a schema problem in one task never hides a name problem in
// another. What they cannot read (a task that is not a mapping, a `hints` that is not one, a `model`
// that is not text) the schema check reports instead.
import { didYouMeanHint, type PathSegment } from '../diagnostics/index.ts';
import { isRecord, type RawWorkflow } from './raw-view.ts';
import { nameList, type Report } from './report.ts';

/** Names that exist outside the workflow; each kind is checked only when its list is given. */
export type KnownNames = {
  agents: readonly string[] | undefined;
  models: readonly string[] | undefined;
  taskTypes: readonly string[] | undefined;
};

/** Where a task setting may be written: `defaults` and every task. */
type Scope = { path: PathSegment[]; fields: Readonly<Record<string, unknown>> };

/** Reports unknown agents, pinned models and `hints.taskType` values, and a taskType that is not text. */
export function checkKnownNames(raw: RawWorkflow, report: Report, known: KnownNames): void {
  const scopes: Scope[] = raw.tasks.map((task) => ({ path: ['tasks', task.index], fields: task.fields }));
  if (isRecord(raw.root.defaults)) scopes.push({ path: ['defaults'], fields: raw.root.defaults });
  for (const { path, fields } of scopes) {
    if (path[0] === 'tasks') checkAgent(fields.agent, [...path, 'agent'], report, known.agents);
    checkModel(fields.model, [...path, 'model'], report, known.models);
    if (isRecord(fields.hints) && 'taskType' in fields.hints)
      checkTaskType(fields.hints.taskType, [...path, 'hints', 'taskType'], report, known.taskTypes);
  }
}

function checkAgent(
  agent: unknown,
  path: PathSegment[],
  report: Report,
  known: readonly string[] | undefined,
): void {
  if (typeof agent !== 'string' || known === undefined || known.includes(agent)) return;
  report(
    'WORKFLOW_UNKNOWN_AGENT',
    path,
    `agent ${JSON.stringify(agent)} is not registered; known agents: ${nameList(known)}`,
    {
      hint:
        didYouMeanHint(agent, known) ??
        'register it with orchestrator.agents.register() or load it with --agents',
    },
  );
}

function checkModel(
  model: unknown,
  path: PathSegment[],
  report: Report,
  known: readonly string[] | undefined,
): void {
  if (typeof model !== 'string' || known === undefined || known.includes(model)) return;
  report('MODEL_UNKNOWN', path, `model ${JSON.stringify(model)} is not in the model catalog`, {
    hint: didYouMeanHint(model, known) ?? 'use a model id of models.yaml, or leave the choice to the router',
  });
}

/**
 * A taskType outside the catalog would only be mentioned in the router's reason while the text is
 * classified instead: a typo would route every run silently by other rules. `null` is allowed: it
 * clears a `defaults.hints.taskType` for one task, and the router reads it as no hint.
 */
function checkTaskType(
  taskType: unknown,
  path: PathSegment[],
  report: Report,
  known: readonly string[] | undefined,
): void {
  if (taskType === null) return;
  if (typeof taskType !== 'string') {
    report('CONFIG_INVALID', path, `expected the id of a task type, got ${describeValue(taskType)}`, {
      expected: 'the id of a task type',
      hint: 'write one id, e.g. taskType: coding; remove the key to classify the task from its text',
    });
    return;
  }
  if (known === undefined || known.includes(taskType)) return;
  report(
    'WORKFLOW_UNKNOWN_TASK_TYPE',
    path,
    `task type ${JSON.stringify(taskType)} is not in the task-type catalog; expected one of ${nameList(known)}`,
    {
      expected: `one of ${nameList(known)}`,
      hint:
        didYouMeanHint(taskType, known) ??
        'use a type of task-types.yaml, or remove hints.taskType to classify the task from its text',
    },
  );
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  return String(value);
}
