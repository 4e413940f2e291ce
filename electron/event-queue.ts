import { mergeUpdates } from '../shared/tunnel-updates';

/** The tunnel delta event and the whole list that supersedes it (see shared/contract.ts). */
const DELTA = 'tunnels.updated';
const WHOLE = 'tunnels.changed';

/**
 * Holds core events until the page says it is ready (it subscribed its listeners), and again
 * while it reloads. Pure (no `electron`), so it is tested without the binary.
 *
 * `*.changed` events carry full snapshots, so only the newest of each is kept; tunnel deltas
 * (`tunnels.updated`) merge into one, which a newer whole tunnel list replaces; other events
 * (log batches) are kept in order up to a bound, oldest dropped first, so a page that never
 * becomes ready cannot grow the main process without limit.
 */
export class EventQueue<Name extends string = string> {
  private ready = false;
  private queue: { name: Name; payload: unknown }[] = [];

  constructor(
    private readonly send: (name: Name, payload: unknown) => void,
    private readonly maxBatches = 500,
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  get pending(): number {
    return this.queue.length;
  }

  push(name: Name, payload: unknown): void {
    if (this.ready) {
      this.send(name, payload);
      return;
    }
    if (name === DELTA) {
      // At most one waits, always after the last whole list (which drops it): merge into it.
      const waiting = this.queue.find((e) => e.name === DELTA);
      if (waiting) return void (waiting.payload = mergeUpdates(waiting.payload as { id: string }[], payload as { id: string }[]));
      this.queue.push({ name, payload });
      return;
    }
    if (name.endsWith('.changed')) this.queue = this.queue.filter((e) => e.name !== name && !(name === WHOLE && e.name === DELTA));
    this.queue.push({ name, payload });
    const batch = (e: { name: string }) => !e.name.endsWith('.changed') && e.name !== DELTA;
    let batches = this.queue.filter(batch).length;
    while (batches > this.maxBatches) {
      const i = this.queue.findIndex(batch);
      this.queue.splice(i, 1);
      batches--;
    }
  }

  /** The page subscribed: deliver what waited, in order, then pass events straight through. */
  markReady(): void {
    this.ready = true;
    const waiting = this.queue;
    this.queue = [];
    for (const e of waiting) this.send(e.name, e.payload);
  }

  /** The page is (re)loading: its listeners are gone until it says ready again. */
  markNotReady(): void {
    this.ready = false;
  }

  clear(): void {
    this.queue = [];
  }
}
