// Load-time checks of a task's `validate`: a command or a predicate (not both, not neither), command
// settings only with a command, no template spliced into the command, and a predicate that exists.
import { didYouMeanHint } from '../diagnostics/index.ts';
import { isRecord, type RawWorkflow } from './raw-view.ts';
import { nameList, type Report } from './report.ts';

const commandOnly = ['cwd', 'env', 'timeout'] as const;
const shapeHint = 'write validate: { command: npm test } or validate: { predicate: <name> }';

/** Reports `validate` fields that cannot run; unknown predicates only when `knownPredicates` is given. */
export function checkValidators(
  raw: RawWorkflow,
  report: Report,
  knownPredicates: readonly string[] | undefined,
): void {
  for (const task of raw.tasks) {
    const validate = task.fields.validate;
    if (!isRecord(validate)) continue;
    const base = ['tasks', task.index, 'validate'];
    const { command, predicate } = validate;
    if (command === undefined && predicate === undefined) {
      report('CONFIG_INVALID', base, 'validate needs a command or a predicate', { hint: shapeHint });
      continue;
    }
    if (command !== undefined && predicate !== undefined) {
      report('CONFIG_INVALID', [...base, 'predicate'], 'validate takes a command or a predicate, not both', {
        hint: 'keep one: run the predicate from a command, or check the command in a predicate',
        part: 'key',
      });
    }
    if (command === undefined) {
      for (const field of commandOnly) {
        if (validate[field] === undefined) continue;
        report('CONFIG_INVALID', [...base, field], `${field} applies only to a validate command`, {
          hint: 'remove it; a predicate runs in-process',
          part: 'key',
        });
      }
    }
    if (typeof command === 'string' && command.includes('${{')) {
      report(
        'WORKFLOW_TEMPLATE_IN_COMMAND',
        [...base, 'command'],
        'a ${{ }} template inside validate.command would splice a value into the shell command',
        {
          hint: 'pass the value through validate.env (read it as "$NAME" in the command); the output comes as $TIERFLOW_OUTPUT',
          within: '${{',
        },
      );
    }
    if (
      typeof predicate === 'string' &&
      knownPredicates !== undefined &&
      !knownPredicates.includes(predicate)
    ) {
      const known =
        knownPredicates.length === 0
          ? 'no predicates are registered'
          : `known predicates: ${nameList(knownPredicates)}`;
      report(
        'WORKFLOW_UNKNOWN_VALIDATOR',
        [...base, 'predicate'],
        `predicate ${JSON.stringify(predicate)} is not registered; ${known}`,
        {
          hint:
            didYouMeanHint(predicate, knownPredicates) ??
            'register it with orchestrator.validators.register() or export it in `validators` of an agents module (--agents)',
        },
      );
    }
  }
}
