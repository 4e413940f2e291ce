import { useState } from 'react';
import { ApiError, type Problem } from '../api/api-error';
import { useUiStore } from '../stores/use-ui-store';

export interface ActionOptions<A extends unknown[], R> {
  /**
   * With it, a failure is a toast "<failure>: <message>" (actions started from a button);
   * without it, the failure stays in `error` for the form's <FormError>.
   */
  failure?: string | ((...args: A) => string);
  /** A confirmation toast once it worked. */
  success?: string | Problem | ((result: R, ...args: A) => string | Problem);
  /** After success: close the dialog, clear the field. */
  then?: (result: R, ...args: A) => void;
  /**
   * Default true: a run while one is in flight is ignored (a double click, Enter pressed twice
   * in a form). False for independent changes that may overlap (two settings toggled at once).
   */
  exclusive?: boolean;
}

/** Where a run reports to: React state in `useAction`, plain callbacks in tests. */
export interface ActionSink {
  busy(busy: boolean): void;
  error(problem: Problem | null): void;
  toastError(err: unknown, context: string): void;
  toastInfo(message: string, hint?: string): void;
}

/**
 * Runs async actions for one component: busy while any runs, errors to the form or a toast,
 * confirmations as toasts. `run` never rejects: every failure is shown, none is lost.
 */
export class ActionRunner {
  private inFlight = 0;

  constructor(private readonly sink: ActionSink) {}

  get running(): boolean {
    return this.inFlight > 0;
  }

  async run<A extends unknown[], R>(fn: (...args: A) => Promise<R>, opts: ActionOptions<A, R>, args: A): Promise<R | undefined> {
    if (this.inFlight > 0 && opts.exclusive !== false) return undefined;
    if (this.inFlight++ === 0) this.sink.busy(true);
    if (!opts.failure) this.sink.error(null);
    try {
      const result = await fn(...args);
      if (opts.success) {
        const s = typeof opts.success === 'function' ? opts.success(result, ...args) : opts.success;
        if (typeof s === 'string') this.sink.toastInfo(s);
        else this.sink.toastInfo(s.message, s.hint);
      }
      opts.then?.(result, ...args);
      return result;
    } catch (err) {
      if (opts.failure) this.sink.toastError(err, typeof opts.failure === 'function' ? opts.failure(...args) : opts.failure);
      else this.sink.error(ApiError.describe(err));
      return undefined;
    } finally {
      if (--this.inFlight === 0) this.sink.busy(false);
    }
  }
}

export interface Action<A extends unknown[], R> {
  /** Starts the action; resolves with its result, or undefined when it failed or was ignored. */
  run: (...args: A) => Promise<R | undefined>;
  busy: boolean;
  /** The last failure, for a <FormError> (only without `failure`). */
  error: Problem | null;
  /** A problem found before calling anything (the form's own checks), or null to clear it. */
  setError: (problem: Problem | null) => void;
}

/** The one way views run an action: `const save = useAction(saveSettings, { failure: 'Saving failed' })`. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>, opts: ActionOptions<A, R> = {}): Action<A, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const [runner] = useState(
    () =>
      new ActionRunner({
        busy: setBusy,
        error: setError,
        toastError: (err, context) => useUiStore.getState().showError(err, context),
        toastInfo: (message, hint) => useUiStore.getState().showInfo(message, hint),
      }),
  );
  return { run: (...args: A) => runner.run(fn, opts, args), busy, error, setError };
}
