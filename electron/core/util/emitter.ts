/**
 * Where a listener's exception goes. One listener that throws must not stop the emitter
 * (the listeners after it, the code that emitted); it is reported once per listener, so a
 * listener that throws on every event is one report, never a loop of them. The composition
 * root points this at the log; by default it goes to stderr.
 */
export type ListenerErrorReport = (event: string, err: unknown) => void;

let report: ListenerErrorReport = (event, err) => console.error(`clab-publisher: a listener of "${event}" threw (reported once per listener):`, err);

/** Sets where listener exceptions go; returns the undo. */
export function setListenerErrorReport(fn: ListenerErrorReport): () => void {
  const previous = report;
  report = fn;
  return () => {
    if (report === fn) report = previous;
  };
}

/** A small typed event emitter: services expose `on()` and return an unsubscribe function. */
export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  private listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  private readonly reported = new WeakSet<(payload: never) => void>();

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        (l as (p: Events[K]) => void)(payload);
      } catch (err) {
        if (this.reported.has(l)) continue;
        this.reported.add(l);
        try {
          report(String(event), err);
        } catch {
          // a reporter that fails has nobody left to tell
        }
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
