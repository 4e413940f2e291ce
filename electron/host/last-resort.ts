import type { EventEmitter } from 'node:events';

export interface LastResortOptions {
  say(line: string): void;
  exit(code: number): void;
  /** More than this many in `windowMs` means something loops: stop instead of spinning. */
  maxErrors?: number;
  windowMs?: number;
}

/**
 * The serving host's last resort for an error no handler caught. Every request, upgrade and
 * frame handler catches its own errors, so reaching this is a bug; stopping for it would drop
 * every tunnel of every user for one bad input. It is logged with its stack and the host keeps
 * serving.
 *
 * Why that is safe here: the host's state is the core's services, which change only through
 * their own methods, and an error that escapes a socket or timer callback leaves at most that
 * callback's work undone. It is NOT safe for an error that repeats (a loop that throws on every
 * turn would fill the log and burn the CPU while serving nothing): past `maxErrors` within
 * `windowMs` the host exits with 70 (EX_SOFTWARE) so a supervisor can restart it. Before the
 * host serves (start-up) and while it stops, errors are fatal as usual: install this only
 * once the server listens.
 */
export function installLastResort(proc: EventEmitter, o: LastResortOptions): () => void {
  const maxErrors = o.maxErrors ?? 10;
  const windowMs = o.windowMs ?? 60_000;
  const recent: number[] = [];
  const handle = (what: string) => (err: unknown) => {
    const now = Date.now();
    recent.push(now);
    while (recent.length && recent[0] <= now - windowMs) recent.shift();
    const e = err instanceof Error ? err : new Error(String(err));
    o.say(`internal error (${what}), kept serving: ${e.stack ?? e.message}`);
    if (recent.length > maxErrors) {
      o.say(`${recent.length} internal errors within ${Math.round(windowMs / 1000)} s: stopping, something keeps failing`);
      o.exit(70);
    }
  };
  const onException = handle('uncaught exception');
  const onRejection = handle('unhandled promise rejection');
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
