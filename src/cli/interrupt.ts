// Ctrl-C and SIGTERM during `run` and `resume`: the first stops the run cleanly, a second exits at once.
import { exitCodes } from './exit.ts';

export type Interrupt = {
  /** Aborts on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** Starts listening for the signals. */
  listen: () => void;
  /** Stops listening. */
  stop: () => void;
};

export function createInterrupt(write: (text: string) => void): Interrupt {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(exitCodes.interrupted);
    write(
      `\n${signal}: stopping; in-flight tasks are being cancelled (press Ctrl-C again to exit at once)\n`,
    );
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  return {
    signal: controller.signal,
    listen: () => {
      process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    },
    stop: () => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    },
  };
}
