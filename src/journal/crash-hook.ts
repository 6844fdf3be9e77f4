// A test-only crash hook: TIERFLOW_CRASH_AT=<point>:<occurrence> kills this process with SIGKILL the
// n-th time the journal passes that point, so the chaos test can crash at exact moments.
import { writeSync } from 'node:fs';
import { OrchestratorError } from '../errors.ts';

/** Where the journal can be made to crash, in the order an attempt passes them. */
export const crashPoints = ['before-call', 'after-call', 'mid-settle', 'after-commit'] as const;
export type CrashPoint = (typeof crashPoints)[number];

/**
 * - before-call: the attempt was admitted (its reservation is held), the provider not yet called;
 * - after-call: the handler returned (the provider was paid), nothing committed yet;
 * - mid-settle: inside the commit transaction, the ledger booked the attempt, the journal not yet;
 * - after-commit: committed, before any other subscriber saw the task end.
 */
export type CrashHook = (point: CrashPoint) => void;

/** A hook that never crashes. */
export const noCrash: CrashHook = () => {};

/**
 * Reads `TIERFLOW_CRASH_AT` (e.g. `mid-settle:17`); unset gives `noCrash`.
 * @throws OrchestratorError CLI_INVALID_ARGUMENT when the value names no point or no occurrence >= 1.
 */
export function crashHookFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  kill: (message: string) => void = killNow,
): CrashHook {
  const value = env.TIERFLOW_CRASH_AT;
  if (value === undefined || value === '') return noCrash;
  const [point, count] = value.split(':');
  const occurrence = Number(count);
  if (!crashPoints.includes(point as CrashPoint) || !Number.isInteger(occurrence) || occurrence < 1) {
    throw new OrchestratorError(
      'CLI_INVALID_ARGUMENT',
      `TIERFLOW_CRASH_AT is "${value}"; expected <point>:<occurrence> with a point of ${crashPoints.map((p) => `"${p}"`).join(' | ')} and an occurrence >= 1.`,
      { hint: 'This hook is for crash tests; unset TIERFLOW_CRASH_AT to run normally.' },
    );
  }
  let seen = 0;
  return (at) => {
    if (at !== point || ++seen !== occurrence) return;
    kill(`tierflow: crash hook at ${at} #${seen}\n`);
  };
}

/** Says where it crashes (the chaos test reads it), then dies as a power cut would: no cleanup. */
function killNow(message: string): void {
  writeSync(2, message);
  process.kill(process.pid, 'SIGKILL');
}
