// Exit codes and error printing shared by every command.
import { ConfigError, formatDiagnostics, OrchestratorError } from '../index.ts';

/** 0 ok, 1 run failed, 2 invalid input or config, 130 interrupted. */
export const exitCodes = { ok: 0, runFailed: 1, invalidInput: 2, interrupted: 130 } as const;

/** Prints an error the way a user should read it and returns the exit code it maps to. */
export function reportError(error: unknown, write: (text: string) => void): number {
  if (error instanceof ConfigError) {
    write(`${formatDiagnostics(error.diagnostics)}\n`);
    return exitCodes.invalidInput;
  }
  if (error instanceof OrchestratorError) {
    write(`error ${error.code}: ${error.message}\n`);
    if (error.hint !== undefined) write(`  hint: ${error.hint}\n`);
    return isInputProblem(error.code) ? exitCodes.invalidInput : exitCodes.runFailed;
  }
  write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return exitCodes.runFailed;
}

function isInputProblem(code: string): boolean {
  return (
    code.startsWith('CONFIG_') ||
    code.startsWith('WORKFLOW_') ||
    code.startsWith('YAML_') ||
    code === 'CLI_INVALID_ARGUMENT' ||
    code === 'AGENTS_MODULE_INVALID' ||
    code === 'AGENT_UNKNOWN' ||
    code === 'EVAL_DATASET_INVALID' ||
    code === 'RUN_NOT_FOUND' ||
    code === 'RUN_WORKFLOW_CHANGED' ||
    code === 'RUN_ALREADY_FINISHED' ||
    code === 'MODEL_UNKNOWN'
  );
}

/** `1 task`, `3 tasks`. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
