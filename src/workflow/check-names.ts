// Load-time checks of the names a task declares in the workflow: phase, group; and of tier windows and foreach.
import { didYouMeanHint } from '../diagnostics/index.ts';
import type { RawTask, RawWorkflow } from './raw-view.ts';
import { nameList, type Report } from './report.ts';
import { tierFieldSchema, tierRangeOf, tierRangeProblem } from './tier.ts';

const reservedScopeNames = new Set(['inputs', 'tasks', 'run']);

function checkName(
  task: RawTask,
  field: 'group' | 'phase',
  known: readonly string[] | undefined,
  report: Report,
): void {
  const value = task.fields[field];
  if (typeof value !== 'string' || known === undefined || known.includes(value)) return;
  const code = field === 'group' ? 'WORKFLOW_UNKNOWN_GROUP' : 'WORKFLOW_UNKNOWN_PHASE';
  const declared = field === 'group' ? 'concurrency.groups' : 'concurrency.phases';
  const message =
    known.length === 0
      ? `${field} ${JSON.stringify(value)} is not declared: the workflow has no ${declared}`
      : `${field} ${JSON.stringify(value)} is not declared under ${declared}; declared: ${nameList(known)}`;
  report(code, ['tasks', task.index, field], message, {
    hint: didYouMeanHint(value, known) ?? `add it under ${declared} with a limit, e.g. ${value}: 2`,
  });
}

function checkTier(value: unknown, path: (string | number)[], report: Report): void {
  const parsed = tierFieldSchema.safeParse(value);
  if (!parsed.success) return;
  const problem = tierRangeProblem(tierRangeOf(parsed.data));
  if (problem !== undefined)
    report('CONFIG_INVALID', path, problem, { hint: 'tiers go 0-4; keep min <= start <= max' });
}

/** Reports unknown groups and phases, bad tier windows and foreach settings. */
export function checkNames(raw: RawWorkflow, report: Report): void {
  const defaults = raw.root.defaults;
  if (typeof defaults === 'object' && defaults !== null && 'tier' in defaults) {
    checkTier((defaults as Record<string, unknown>).tier, ['defaults', 'tier'], report);
  }
  for (const task of raw.tasks) {
    checkName(task, 'group', raw.groups, report);
    checkName(task, 'phase', raw.phases, report);
    if ('tier' in task.fields) checkTier(task.fields.tier, ['tasks', task.index, 'tier'], report);
    if ('tier' in task.fields && 'model' in task.fields) {
      report(
        'CONFIG_INVALID',
        ['tasks', task.index, 'tier'],
        'a task with a pinned `model` runs on that model; its `tier` would be ignored',
        { hint: 'remove `tier` (the model decides it) or `model` (let the router choose)', part: 'key' },
      );
    }
    const as = task.fields.as;
    if (typeof as === 'string' && reservedScopeNames.has(as)) {
      report(
        'CONFIG_INVALID',
        ['tasks', task.index, 'as'],
        `"${as}" is already a name in templates; the item needs another name`,
        {
          hint: 'use a name such as item, file or entry',
        },
      );
    }
    const foreach = task.fields.foreach !== undefined;
    for (const field of ['as', 'maxParallel'] as const) {
      if (task.fields[field] !== undefined && !foreach) {
        report(
          'CONFIG_INVALID',
          ['tasks', task.index, field],
          `${field} applies only to a task with foreach`,
          {
            hint: 'add foreach or remove this key',
            part: 'key',
          },
        );
      }
    }
  }
}
