/**
 * Resolves once `check()` returns a value, re-checking whenever `subscribe`'s event fires;
 * rejects with `what` after the deadline. Event-driven: no fixed sleeps.
 */
export function waitFor<T>(
  subscribe: (listener: () => void) => () => void,
  check: () => T | undefined | false,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const first = check();
    if (first) return resolve(first);
    let unsub = () => {};
    const timer = setTimeout(() => {
      unsub();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    unsub = subscribe(() => {
      const v = check();
      if (!v) return;
      clearTimeout(timer);
      unsub();
      resolve(v);
    });
  });
}
