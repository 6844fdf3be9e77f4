/**
 * The abort side of one attempt. The AbortController is created only when someone reads `signal`,
 * so a handler that never looks at it costs nothing; `abort` before that still reaches it.
 */
export type AttemptControl = {
  readonly signal: AbortSignal;
  readonly aborted: boolean;
  readonly reason: unknown;
  abort: (reason: unknown) => void;
  /** Called once, on the first `abort`. */
  onAbort: ((reason: unknown) => void) | undefined;
};

export function createAttemptControl(): AttemptControl {
  let controller: AbortController | undefined;
  let aborted = false;
  let reason: unknown;
  const control: AttemptControl = {
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        if (aborted) controller.abort(reason);
      }
      return controller.signal;
    },
    get aborted() {
      return aborted;
    },
    get reason() {
      return reason;
    },
    abort: (why) => {
      if (aborted) return;
      aborted = true;
      reason = why;
      controller?.abort(why);
      control.onAbort?.(why);
    },
    onAbort: undefined,
  };
  return control;
}
