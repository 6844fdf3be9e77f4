// Validators: what checks a task's output after a successful attempt. Predicates are functions
// registered by name; command validators run a shell command (exit code 0 passes).
import { describeThrown, OrchestratorError } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import type { CommandValidator, PredicateValidator } from '../workflow/model.ts';
import { runCommandValidator } from './command-validator.ts';
import type { Validation, ValidatorContext, ValidatorPredicate } from './validator-types.ts';

/** The validators a run can use by name, and how any validator is run. */
export type ValidatorRegistry = {
  /** Adds a predicate; a taken name is an error. */
  register: (name: string, predicate: ValidatorPredicate) => void;
  get: (name: string) => ValidatorPredicate | undefined;
  /** Every registered predicate name, in registration order. */
  names: () => string[];
  /**
   * Runs a command or predicate validator on an output (a consensus asks models: the coordinator runs
   * it). Rejects only when the attempt is aborted (with the signal's reason).
   */
  check: (
    validator: CommandValidator | PredicateValidator,
    output: Json,
    ctx: ValidatorContext,
  ) => Promise<Validation>;
};

export type ValidatorRegistryOptions = {
  /** Environment variables command validators never see (provider keys). @default none */
  hiddenEnv?: readonly string[];
};

const namePattern = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Creates an empty validator registry; command validators need no registration. */
export function createValidatorRegistry(options: ValidatorRegistryOptions = {}): ValidatorRegistry {
  const predicates = new Map<string, ValidatorPredicate>();
  const hiddenEnv = options.hiddenEnv ?? [];
  return {
    register: (name, predicate) => {
      if (!namePattern.test(name)) {
        throw new OrchestratorError(
          'AGENT_INPUT_INVALID',
          `Validator name ${JSON.stringify(name)} is not valid.`,
          {
            hint: 'Start with a letter; use letters, digits, "-", "_" and ".".',
          },
        );
      }
      if (typeof predicate !== 'function') {
        throw new OrchestratorError(
          'AGENT_INPUT_INVALID',
          `Validator "${name}" must be a function (output, ctx) => boolean | { ok }; got ${typeof predicate}.`,
        );
      }
      if (predicates.has(name)) {
        throw new OrchestratorError('AGENT_DUPLICATE', `Validator "${name}" is already registered.`, {
          hint: 'Register it under another name.',
        });
      }
      predicates.set(name, predicate);
    },
    get: (name) => predicates.get(name),
    names: () => [...predicates.keys()],
    check: (validator, output, ctx) => {
      if (validator.kind === 'command') return runCommandValidator(validator, output, ctx, hiddenEnv);
      const predicate = predicates.get(validator.predicate);
      if (predicate === undefined) {
        const reason = `no predicate named "${validator.predicate}" is registered`;
        return Promise.resolve({ ok: false, quality: undefined, reason });
      }
      return runPredicate(predicate, output, ctx);
    },
  };
}

async function runPredicate(
  predicate: ValidatorPredicate,
  output: Json,
  ctx: ValidatorContext,
): Promise<Validation> {
  let verdict: unknown;
  try {
    verdict = await predicate(output, ctx);
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const message = error instanceof Error ? error.message : describeThrown(error);
    return { ok: false, quality: undefined, reason: `the predicate threw: ${message}` };
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  return readVerdict(verdict);
}

/** A predicate written in plain JavaScript may return anything: only a boolean or `{ ok: boolean }` counts. */
function readVerdict(verdict: unknown): Validation {
  if (typeof verdict === 'boolean') return { ok: verdict, quality: undefined, reason: undefined };
  if (
    typeof verdict === 'object' &&
    verdict !== null &&
    typeof (verdict as { ok?: unknown }).ok === 'boolean'
  ) {
    const { ok, quality, reason } = verdict as { ok: boolean; quality?: unknown; reason?: unknown };
    if (quality !== undefined && !(typeof quality === 'number' && quality >= 0 && quality <= 1)) {
      return {
        ok: false,
        quality: undefined,
        reason: `the predicate gave quality ${String(quality)}; expected 0 to 1`,
      };
    }
    return {
      ok,
      quality: quality as number | undefined,
      reason: typeof reason === 'string' && reason !== '' ? reason : undefined,
    };
  }
  const got = verdict === null ? 'null' : Array.isArray(verdict) ? 'an array' : typeof verdict;
  return {
    ok: false,
    quality: undefined,
    reason: `the predicate returned ${got}; expected a boolean or { ok, quality?, reason? }`,
  };
}
