/** Every error code tierflow raises. Callers branch on `code`, never on the message. */
export const errorCodes = [
  // input files: workflows and config
  'CONFIG_NOT_FOUND',
  'CONFIG_INVALID',
  'CONFIG_UNKNOWN_KEY',
  'YAML_SYNTAX',
  'YAML_ALIAS_LIMIT',
  'WORKFLOW_DUPLICATE_ID',
  'WORKFLOW_UNKNOWN_DEPENDENCY',
  'WORKFLOW_CYCLE',
  'WORKFLOW_UNKNOWN_REFERENCE',
  'WORKFLOW_UNKNOWN_GROUP',
  'WORKFLOW_UNKNOWN_PHASE',
  'WORKFLOW_UNKNOWN_AGENT',
  'WORKFLOW_UNKNOWN_TASK_TYPE',
  'WORKFLOW_EXPRESSION_INVALID',
  'WORKFLOW_TEMPLATE_IN_COMMAND',
  'WORKFLOW_INPUT_MISSING',
  'WORKFLOW_INPUT_INVALID',
  'WORKFLOW_UNKNOWN_VALIDATOR',
  // running a task
  'TASK_TIMEOUT',
  'TASK_DEADLINE',
  'TASK_CANCELLED',
  'EXPRESSION_FAILED',
  'FOREACH_NOT_ARRAY',
  'AGENT_ERROR',
  'AGENT_UNKNOWN',
  'AGENT_OUTPUT_INVALID',
  'AGENTS_MODULE_INVALID',
  'SHELL_EXIT_NONZERO',
  'SHELL_SPAWN_FAILED',
  'SHELL_OUTPUT_TOO_LARGE',
  'VALIDATION_FAILED',
  'ATTEMPTS_EXHAUSTED',
  'AGENT_DUPLICATE',
  'AGENT_INPUT_INVALID',
  // routing
  'ROUTING_NO_MODEL',
  'ROUTING_UPGRADE_EXHAUSTED',
  'MODEL_UNKNOWN',
  // cost
  'BUDGET_EXCEEDED',
  'PRICE_UNKNOWN',
  'LEDGER_DUPLICATE',
  'STATE_FAILED',
  // providers
  'PROVIDER_NOT_CONFIGURED',
  'PROVIDER_AUTH',
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_BAD_REQUEST',
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_TIMEOUT',
  'PROVIDER_ABORTED',
  'PROVIDER_COOLDOWN',
  'PROVIDER_FAILED',
  'SIMULATED_FAILURE',
  // runs and the journal
  'RUN_NOT_FOUND',
  'RUN_LEASE_HELD',
  'RUN_WORKFLOW_CHANGED',
  'RUN_ALREADY_FINISHED',
  'RUN_INTERRUPTED',
  'JOURNAL_DUPLICATE_COMPLETION',
  // command line and evaluation
  'CLI_INVALID_ARGUMENT',
  'EVAL_DATASET_INVALID',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export type ErrorOptions = {
  /** What to do about it, one sentence. */
  hint?: string;
  /** The error this one adds context to. */
  cause?: unknown;
};

/** The one error type of tierflow: a closed `code`, a message that quotes the offending value, and a hint. */
export class OrchestratorError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OrchestratorError';
    this.code = code;
    this.hint = options.hint;
  }

  /** A plain, serialisable form for events, journals and `--json` output. */
  toJSON(): SerializedError {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
    };
  }
}

/** An error as it travels in events and JSON output. */
export type SerializedError = { code: ErrorCode; message: string; hint?: string };

/** One problem found in an input file, positioned at the offending value. */
export type Diagnostic = {
  file: string | undefined;
  /** 1-based; undefined when the problem has no place in the file (e.g. a missing file). */
  line: number | undefined;
  column: number | undefined;
  code: ErrorCode;
  /** Where in the document, as `tasks.fix.needs[0]`; empty for the whole document. */
  path: string;
  message: string;
  expected?: string;
  got?: string;
  hint?: string;
};

/** A workflow or config file that cannot be used; carries every problem found in one pass. */
export class ConfigError extends OrchestratorError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[], options: ErrorOptions = {}) {
    const first = diagnostics[0];
    const code = first?.code ?? 'CONFIG_INVALID';
    const where = first?.file ?? 'input';
    const count = diagnostics.length === 1 ? '1 problem' : `${diagnostics.length} problems`;
    super(code, `${where}: ${count}${first === undefined ? '' : `; first: ${first.message}`}`, options);
    this.name = 'ConfigError';
    this.diagnostics = diagnostics;
  }
}

/** A provider call that failed; `retryable` says whether the same call may succeed if tried again. */
export class ProviderError extends OrchestratorError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: ErrorOptions & { retryable: boolean; retryAfterMs?: number; status?: number },
  ) {
    super(code, message, options);
    this.name = 'ProviderError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** Turns anything thrown into a serialisable error without wrapping an OrchestratorError again. */
export function serializeError(error: unknown, fallbackCode: ErrorCode = 'INTERNAL'): SerializedError {
  if (error instanceof OrchestratorError) return error.toJSON();
  if (error instanceof Error) return { code: fallbackCode, message: error.message };
  return { code: fallbackCode, message: describeThrown(error) };
}

/** Text for anything thrown; never throws itself (a thrown object may have no or a broken toString). */
export function describeThrown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** For the `default` branch of a switch over a union: fails to compile when a case is missing. */
export function assertNever(value: never): never {
  throw new OrchestratorError('INTERNAL', `Unexpected value ${JSON.stringify(value)}.`);
}
