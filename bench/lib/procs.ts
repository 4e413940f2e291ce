/**
 * Processes the benches start, and the clean-up that ends them: every child is registered
 * here and stopped by its pid when its bench finishes, when the run ends, or on Ctrl-C.
 *
 * Each bench runs in a scope of its own (AsyncLocalStorage), so what it registers stays its
 * own even when it goes on running after its time ran out: a bench past its time is aborted
 * (`benchSignal()`), its clean-ups run, and anything it registers afterwards (a container or
 * child started by code that had not noticed yet) is cleaned up at once instead of leaking.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { fork, type ChildProcess } from 'node:child_process';

type Cleanup = () => Promise<void> | void;

interface Scope {
  readonly name: string;
  readonly cleanups: Cleanup[];
  readonly abort: AbortController;
  /** Cleaned up: anything registered from now on is cleaned up at once. */
  closed: boolean;
}

const runScope: Scope = { name: 'run', cleanups: [], abort: new AbortController(), closed: false };
const scopes = new AsyncLocalStorage<Scope>();
const current = () => scopes.getStore() ?? runScope;

/** Runs `fn` as bench `name`: its clean-ups, and its abort signal, are its own. */
export function inBenchScope<T>(name: string, fn: () => Promise<T>): { result: Promise<T>; abort(reason: Error): void; cleanup(): Promise<void> } {
  const scope: Scope = { name, cleanups: [], abort: new AbortController(), closed: false };
  return {
    result: scopes.run(scope, fn),
    abort: (reason) => scope.abort.abort(reason),
    cleanup: async () => {
      scope.closed = true;
      await drain(scope);
    },
  };
}

/** Aborted when the running bench is past its time (or the run is interrupted). */
export function benchSignal(): AbortSignal {
  return current().abort.signal;
}

/** Throws the abort reason once the running bench is past its time. */
export function checkAborted(): void {
  current().abort.signal.throwIfAborted();
}

/** Registers `fn` to run at the end (last registered runs first); returns the unregister. */
export function onCleanup(fn: Cleanup): () => void {
  const scope = current();
  if (scope.closed) {
    // The bench was cleaned up already (it ran past its time): nothing may outlive it.
    console.error(`bench ${scope.name}: cleaning up something started after its clean-up`);
    void Promise.resolve()
      .then(fn)
      .catch((err: Error) => console.error(`bench clean-up failed: ${err.message}`));
    return () => undefined;
  }
  scope.cleanups.push(fn);
  return () => {
    const i = scope.cleanups.indexOf(fn);
    if (i >= 0) scope.cleanups.splice(i, 1);
  };
}

async function drain(scope: Scope): Promise<void> {
  while (scope.cleanups.length) {
    const fn = scope.cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      console.error(`bench clean-up failed: ${(err as Error).message}`);
    }
  }
}

/** The run's own clean-ups (those registered outside any bench). */
export async function runCleanups(): Promise<void> {
  await drain(runScope);
}

/**
 * Sends `signal` (none when null: the child was already asked to quit), waits for the exit,
 * and SIGKILLs (by its pid) a child that has not exited after `graceMs`.
 */
export async function endProcess(child: ChildProcess, graceMs = 5000, signal: NodeJS.Signals | null = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (signal) child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export type Message = { type: string } & Record<string, unknown>;

export interface ChildOptions {
  /** Run `script` through tsx (TypeScript source); false for plain JavaScript (a bundle). */
  tsx?: boolean;
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

/** A Node child (TypeScript through tsx, or a bundle) that talks over the IPC channel. */
export class TsChild {
  private readonly queue: Message[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly stderr: string[] = [];
  private readonly unregister: () => void;
  readonly proc: ChildProcess;

  constructor(script: string, args: string[] = [], opts: ChildOptions = {}) {
    // BENCH_CHILD_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") to look inside the children.
    const extra = process.env.BENCH_CHILD_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
    const execArgv = [...(opts.tsx === false ? [] : ['--import', 'tsx']), ...(opts.nodeArgs ?? []), ...extra];
    this.proc = fork(script, args, { execArgv, env: opts.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.stderr.push(d);
      if (this.stderr.length > 50) this.stderr.shift();
    });
    this.proc.on('message', (m: Message) => {
      this.queue.push(m);
      for (const w of [...this.waiters]) w();
    });
    this.proc.once('exit', () => {
      for (const w of [...this.waiters]) w();
    });
    this.unregister = onCleanup(() => this.stop());
  }

  get pid(): number {
    return this.proc.pid!;
  }

  send(m: Message): void {
    this.proc.send(m);
  }

  /** The next message of `type` (or an `error` message, which rejects). */
  next<T extends Message>(type: string, timeoutMs = 60_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.queue.findIndex((m) => m.type === type || m.type === 'error');
        if (i >= 0) {
          const [m] = this.queue.splice(i, 1);
          done();
          return m.type === 'error' ? reject(new Error(String(m.message))) : resolve(m as T);
        }
        if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
          done();
          reject(new Error(`child exited (${this.proc.exitCode ?? this.proc.signalCode}) waiting for "${type}": ${this.stderr.join('').slice(-2000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no "${type}" from the child within ${timeoutMs} ms: ${this.stderr.join('').slice(-2000)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  async request<T extends Message>(m: Message, reply: string, timeoutMs?: number): Promise<T> {
    this.send(m);
    return this.next<T>(reply, timeoutMs);
  }

  /** Asks the child to shut down cleanly, then ends it by pid if it does not. */
  async stop(): Promise<void> {
    this.unregister();
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const asked = this.proc.connected;
    if (asked) this.proc.send({ type: 'stop' });
    await endProcess(this.proc, 8000, asked ? null : 'SIGTERM');
  }
}

/** In a child: answer the parent. */
export function reply(m: Message): void {
  process.send?.(m);
}
