// Load-time checks of a task's `validate`: exactly one of command, predicate and consensus, command
// settings only with a command, no template spliced into the command, a predicate that exists, and a
// consensus that can run (a valid answer pattern, on a task that calls a model).

import type { PathSegment } from '../diagnostics/index.ts';
import { didYouMeanHint } from '../diagnostics/index.ts';
import { isRecord, type RawTask, type RawWorkflow } from './raw-view.ts';
import { nameList, type Report } from './report.ts';
import { tierFieldSchema, tierRangeOf } from './tier.ts';

const kinds = ['command', 'predicate', 'consensus'] as const;
const commandOnly = ['cwd', 'env', 'timeout'] as const;
const shapeHint =
  'write validate: { command: npm test }, validate: { predicate: <name> } or validate: { consensus: {} }';

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
    const given = kinds.filter((kind) => validate[kind] !== undefined);
    if (given.length === 0) {
      report('CONFIG_INVALID', base, 'validate needs a command, a predicate or a consensus', {
        hint: shapeHint,
      });
      continue;
    }
    for (const extra of given.slice(1)) {
      report(
        'CONFIG_INVALID',
        [...base, extra],
        `validate takes one check, and it already has a ${given[0]}`,
        {
          hint: 'keep one of command, predicate and consensus (a predicate can run a command in code)',
          part: 'key',
        },
      );
    }
    if (!given.includes('command')) checkCommandOnly(validate, base, given.includes('predicate'), report);
    checkCommand(validate.command, base, report);
    checkPredicate(validate.predicate, base, report, knownPredicates);
    if (validate.consensus !== undefined) checkConsensus(raw, task, validate.consensus, base, report);
  }
}

function checkCommandOnly(
  validate: Record<string, unknown>,
  base: PathSegment[],
  predicate: boolean,
  report: Report,
): void {
  for (const field of commandOnly) {
    if (validate[field] === undefined) continue;
    report('CONFIG_INVALID', [...base, field], `${field} applies only to a validate command`, {
      hint: predicate
        ? 'remove it; a predicate runs in-process'
        : 'remove it; a consensus asks other models and runs no command',
      part: 'key',
    });
  }
}

function checkCommand(command: unknown, base: PathSegment[], report: Report): void {
  if (typeof command !== 'string' || !command.includes('${{')) return;
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

function checkPredicate(
  predicate: unknown,
  base: PathSegment[],
  report: Report,
  knownPredicates: readonly string[] | undefined,
): void {
  if (typeof predicate !== 'string' || knownPredicates === undefined || knownPredicates.includes(predicate))
    return;
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

/** A consensus compares model answers: it needs a pattern that compiles and a task that calls a model. */
function checkConsensus(
  raw: RawWorkflow,
  task: RawTask,
  consensus: unknown,
  base: PathSegment[],
  report: Report,
): void {
  const at = [...base, 'consensus'];
  const answer = isRecord(consensus) ? consensus.answer : undefined;
  const problem = typeof answer === 'string' ? answerPatternProblem(answer) : undefined;
  if (problem !== undefined) {
    report('CONFIG_INVALID', [...at, 'answer'], `expected a JavaScript regular expression; ${problem}`, {
      hint: 'escape ( ) [ ] { } * + ? with a backslash to match them as text; single-quote the value in YAML so backslashes stay',
    });
  }
  if (task.fields.agent === 'shell') {
    report(
      'CONFIG_INVALID',
      at,
      'a consensus compares the answers of models, but agent "shell" calls no model',
      {
        hint: 'validate a shell task with a command or a predicate',
        part: 'key',
      },
    );
    return;
  }
  const retries =
    task.fields.retries ?? (isRecord(raw.root.defaults) ? raw.root.defaults.retries : undefined);
  if (retryCount(retries) === 0) {
    report(
      'CONFIG_INVALID',
      at,
      'a consensus needs retries: peers are asked on every attempt but the last, so with no retry nobody is asked',
      {
        hint: 'add `retries: 1` (or more) to the task or to `defaults`: a dissent is then retried on a stronger tier',
        part: 'key',
      },
    );
  }
  if (
    limitedToTierZero(task.fields.tier ?? (isRecord(raw.root.defaults) ? raw.root.defaults.tier : undefined))
  ) {
    report(
      'CONFIG_INVALID',
      at,
      'a consensus compares the answers of models, but the task is limited to tier 0 (no model)',
      {
        hint: 'allow tier 1 or more in `tier`',
        part: 'key',
      },
    );
  }
}

/** The retries a `retries` value allows; undefined when it is not one (the schema check reports it). */
function retryCount(retries: unknown): number | undefined {
  if (retries === undefined) return 0;
  if (typeof retries === 'number') return retries;
  if (!isRecord(retries)) return undefined;
  const count = retries.count ?? retries.max;
  return count === undefined ? 0 : typeof count === 'number' ? count : undefined;
}

/** Why `source` is not a regular expression (the engine's words), or undefined when it is one. */
export function answerPatternProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function limitedToTierZero(tier: unknown): boolean {
  const parsed = tierFieldSchema.safeParse(tier);
  return parsed.success && tierRangeOf(parsed.data).max === 0;
}
