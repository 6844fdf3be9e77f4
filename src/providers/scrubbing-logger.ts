import type { Logger } from '../log.ts';
import type { Scrubber } from './scrubber.ts';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const levels: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** A logger that removes every known secret value from objects and messages before `logger` sees them. */
export function createScrubbingLogger(logger: Logger, scrubber: Scrubber): Logger {
  const wrapped = {
    child: (bindings: Record<string, unknown>) =>
      createScrubbingLogger(logger.child(scrubber.scrubValue(bindings)), scrubber),
  } as Logger;
  for (const level of levels) {
    wrapped[level] = ((first: Record<string, unknown> | string, message?: string) => {
      if (typeof first === 'string') logger[level](scrubber.scrub(first));
      else if (message === undefined) logger[level](scrubber.scrubValue(first));
      else logger[level](scrubber.scrubValue(first), scrubber.scrub(message));
    }) as Logger[Level];
  }
  return wrapped;
}
