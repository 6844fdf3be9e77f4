// Load-time checks of `${{ }}` templates: they parse, and every path they read exists and is safe to read.
import { didYouMeanHint, type PathSegment } from '../diagnostics/index.ts';
import { expressionPaths } from './expression.ts';
import { expressionFieldTemplate } from './expression-field.ts';
import { isRecord, type RawTask, type RawWorkflow } from './raw-view.ts';
import { nameList, type Report } from './report.ts';
import { parseTemplate, templateUses } from './template.ts';

const taskFields = ['output', 'status'];
const runFields = ['id', 'workflowId'];

type TaskContext = {
  task: RawTask;
  id: string;
  ancestors: ReadonlySet<string>;
  itemName: string | undefined;
};

function ancestorsOf(id: string, needs: ReadonlyMap<string, readonly string[]>): Set<string> {
  const found = new Set<string>();
  const queue = [...(needs.get(id) ?? [])];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (found.has(next)) continue;
    found.add(next);
    queue.push(...(needs.get(next) ?? []));
  }
  return found;
}

/** Reports templates that do not parse, read unknown names, or read tasks that are not ancestors. */
export function checkTemplates(
  raw: RawWorkflow,
  report: Report,
  needs: ReadonlyMap<string, readonly string[]>,
): void {
  const taskIds = [...needs.keys()];
  for (const task of raw.tasks) {
    const id = task.id ?? `tasks[${task.index}]`;
    const foreach = task.fields.foreach !== undefined;
    const itemName = foreach ? (typeof task.fields.as === 'string' ? task.fields.as : 'item') : undefined;
    const context: TaskContext = { task, id, ancestors: ancestorsOf(id, needs), itemName };
    const base: PathSegment[] = ['tasks', task.index];
    checkValue(task.fields.input, [...base, 'input'], context, raw, taskIds, report);
    checkValue(task.fields.prompt, [...base, 'prompt'], context, raw, taskIds, report);
    const validate = task.fields.validate;
    if (isRecord(validate)) {
      for (const field of ['cwd', 'env'] as const)
        checkValue(validate[field], [...base, 'validate', field], context, raw, taskIds, report);
    }
    for (const field of ['when', 'foreach'] as const) {
      const template = expressionFieldTemplate(task.fields[field]);
      if (template === undefined || !checkSingle(template, [...base, field], field, report)) continue;
      // when and foreach run once, before any item exists.
      const scope = { ...context, itemName: undefined };
      checkValue(template, [...base, field], scope, raw, taskIds, report);
    }
    const input = task.fields.input;
    if (
      task.fields.agent === 'shell' &&
      isRecord(input) &&
      typeof input.command === 'string' &&
      input.command.includes('${{')
    ) {
      report(
        'WORKFLOW_TEMPLATE_IN_COMMAND',
        [...base, 'input', 'command'],
        'a ${{ }} template inside input.command would splice a value into the shell command',
        {
          hint: 'pass the value through input.env (read it as "$NAME" in the command) or input.args',
          within: '${{',
        },
      );
    }
  }
}

/** `when` and `foreach` hold exactly one expression; false when the template does not parse. */
function checkSingle(template: string, path: PathSegment[], field: string, report: Report): boolean {
  try {
    if (parseTemplate(template).whole !== undefined) return true;
    report(
      'WORKFLOW_EXPRESSION_INVALID',
      path,
      `${field} must be one \${{ }} expression, not text around one`,
      {
        hint: `write ${field}: \${{ <expression> }}`,
      },
    );
  } catch {
    // checkValue reports the parse error itself.
    return true;
  }
  return false;
}

function checkValue(
  value: unknown,
  path: PathSegment[],
  context: TaskContext,
  raw: RawWorkflow,
  taskIds: readonly string[],
  report: Report,
): void {
  for (const use of templateUses(value, path)) {
    if (use.error !== undefined) {
      report('WORKFLOW_EXPRESSION_INVALID', use.path, use.error.message, {
        hint: use.error.hint,
        within: use.written,
      });
      continue;
    }
    // Point every problem of this expression at the expression itself, not at the start of the value.
    const at: Report = (code, where, message, options = {}) =>
      report(code, where, message, { ...options, within: use.written });
    for (const read of expressionPaths(use.expression.node))
      checkRead(read, use.path, context, raw, taskIds, at);
  }
}

function checkRead(
  read: string[],
  path: PathSegment[],
  context: TaskContext,
  raw: RawWorkflow,
  taskIds: readonly string[],
  report: Report,
): void {
  const [root, name, field] = read;
  const shown = read.join('.');
  const unknown = (message: string, hint: string | undefined) =>
    report('WORKFLOW_UNKNOWN_REFERENCE', path, message, { hint });
  if (root === 'inputs') {
    if (name === undefined || name === '*' || raw.inputNames.includes(name)) return;
    const declared =
      raw.inputNames.length === 0
        ? 'the workflow declares no inputs'
        : `declared: ${nameList(raw.inputNames)}`;
    unknown(
      `${shown} reads input ${JSON.stringify(name)}, which is not declared under inputs; ${declared}`,
      didYouMeanHint(name, raw.inputNames) ?? 'declare it under inputs',
    );
  } else if (root === 'tasks') {
    checkTaskRead(name, field, shown, path, context, taskIds, report);
  } else if (root === 'run') {
    if (name === undefined || runFields.includes(name)) return;
    unknown(`${shown}: run has only ${nameList(runFields)}`, didYouMeanHint(name, runFields));
  } else if (root !== undefined && root !== context.itemName) {
    const names = ['inputs', 'tasks', 'run', ...(context.itemName === undefined ? [] : [context.itemName])];
    const yaml11 = ['yes', 'no', 'on', 'off', 'y', 'n'].includes(root.toLowerCase());
    unknown(
      `unknown name ${JSON.stringify(root)} in ${shown}; templates read ${nameList(names)}`,
      (yaml11 ? 'write true or false; YAML 1.2 reads yes, no, on and off as names here' : undefined) ??
        didYouMeanHint(root, names) ??
        (context.itemName === undefined
          ? undefined
          : `the foreach item is called ${JSON.stringify(context.itemName)}`),
    );
  }
}

function checkTaskRead(
  name: string | undefined,
  field: string | undefined,
  shown: string,
  path: PathSegment[],
  context: TaskContext,
  taskIds: readonly string[],
  report: Report,
): void {
  if (name === undefined || name === '*') {
    report(
      'WORKFLOW_EXPRESSION_INVALID',
      path,
      `${shown} must name the task it reads, as tasks.<id>.output`,
      { hint: 'task ids in templates are fixed when the workflow loads' },
    );
    return;
  }
  if (!taskIds.includes(name)) {
    report(
      'WORKFLOW_UNKNOWN_REFERENCE',
      path,
      `${shown} reads task ${JSON.stringify(name)}, which is not defined; known tasks: ${nameList(taskIds)}`,
      { hint: didYouMeanHint(name, taskIds) },
    );
  } else if (name === context.id) {
    report('WORKFLOW_UNKNOWN_REFERENCE', path, `task ${JSON.stringify(name)} reads its own ${shown}`, {
      hint: 'a task can read only the tasks it needs',
    });
  } else if (!context.ancestors.has(name)) {
    report(
      'WORKFLOW_UNKNOWN_REFERENCE',
      path,
      `task ${JSON.stringify(context.id)} reads ${shown}, but ${JSON.stringify(name)} is not among its needs, direct or indirect`,
      {
        hint: `add ${JSON.stringify(name)} to the needs of ${JSON.stringify(context.id)}`,
      },
    );
  }
  if (field !== undefined && !taskFields.includes(field)) {
    report('WORKFLOW_UNKNOWN_REFERENCE', path, `${shown}: a task has only ${nameList(taskFields)}`, {
      hint: didYouMeanHint(field, taskFields),
    });
  }
}
