import type { EventName, Events } from '../../shared/contract';
import { mergeUpdates } from '../../shared/tunnel-updates';
import type { HostLimits } from './host-limits';

/** What the queue needs of one client's connection. */
export interface ClientLink {
  /** Bytes handed to the connection and not yet written to the network. */
  bufferedAmount(): number;
  send(text: string): void;
  /** Stop / restart reading the client's requests (its answers would only pile up). */
  pauseReading(): void;
  resumeReading(): void;
  /** Give up on a client that reads nothing; `reason` fits a WebSocket close frame. */
  closeStuck(reason: string): void;
  say(line: string): void;
}

type Limits = Pick<HostLimits, 'sendHighWaterBytes' | 'stuckMs' | 'maxPendingLogLines'>;

/**
 * Everything the host sends to one API client, with backpressure. While the client's unsent
 * bytes stay under the high-water mark, frames go straight out. Above it, the client is
 * "backed up": its requests are not read, and events wait here, coalesced: every event but
 * logs and tunnel deltas is a full snapshot, so only the latest of each is kept; logs keep
 * their newest lines (older ones stay in logs.query); tunnel deltas (`tunnels.updated`) merge
 * by tunnel, and a whole tunnel list supersedes the deltas before it. Terminal output keeps
 * only its latest batch too: the client sees the gap in its `seq` and redraws from
 * terminals.screen. Once the client drains, the waiting events go out in order. A client that
 * makes no progress for `stuckMs` is closed with the reason.
 */
export class ClientSendQueue {
  private readonly waiting = new Map<EventName, unknown>();
  private waitingLogs: Events['logs.appended'] = [];
  private droppedLogLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastBuffered = 0;
  private stalledSince = 0;
  private closed = false;

  constructor(
    private readonly link: ClientLink,
    private readonly limits: Limits,
    private readonly now: () => number = Date.now,
  ) {}

  event<E extends EventName>(name: E, payload: Events[E]): void {
    if (this.closed) return;
    if (!this.timer && this.link.bufferedAmount() <= this.limits.sendHighWaterBytes) {
      this.link.send(frame(name, payload));
      return this.check();
    }
    if (name === 'logs.appended') {
      const logs = this.waitingLogs.concat(payload as Events['logs.appended']);
      const over = logs.length - this.limits.maxPendingLogLines;
      this.droppedLogLines += Math.max(0, over);
      this.waitingLogs = over > 0 ? logs.slice(over) : logs;
      // Keep the slot in the Map so logs go out in their place among the other events.
      this.waiting.set(name, true);
    } else if (name === 'tunnels.updated') {
      // A delta: merged into the one waiting (the newest snapshot of each tunnel wins), in its slot.
      const waiting = this.waiting.get(name) as Events['tunnels.updated'] | undefined;
      this.waiting.set(name, waiting ? mergeUpdates(waiting, payload as Events['tunnels.updated']) : payload);
    } else {
      // The whole list carries newer counters than any delta still waiting before it.
      if (name === 'tunnels.changed') this.waiting.delete('tunnels.updated');
      this.waiting.delete(name); // the latest snapshot goes out after the ones still older
      this.waiting.set(name, payload);
    }
    this.backedUp();
  }

  /** An answer to the client's own request: never coalesced, never dropped. */
  answer(msg: unknown): void {
    if (this.closed) return;
    this.link.send(JSON.stringify(msg));
    this.check();
  }

  dispose(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.waiting.clear();
    this.waitingLogs = [];
  }

  private check(): void {
    if (!this.timer && this.link.bufferedAmount() > this.limits.sendHighWaterBytes) this.backedUp();
  }

  private backedUp(): void {
    if (this.timer) return;
    this.link.pauseReading();
    this.lastBuffered = this.link.bufferedAmount();
    this.stalledSince = this.now();
    // No drain event reaches us through ws: look at the buffer a few times per stuck period.
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.min(250, this.limits.stuckMs / 4)));
    this.timer.unref();
  }

  private tick(): void {
    const buffered = this.link.bufferedAmount();
    if (buffered <= this.limits.sendHighWaterBytes) return this.drained();
    if (buffered < this.lastBuffered) this.stalledSince = this.now();
    this.lastBuffered = buffered;
    const stalled = this.now() - this.stalledSince;
    if (stalled < this.limits.stuckMs) return;
    const mib = (buffered / 1024 / 1024).toFixed(1);
    this.link.say(`closed an API client that read too slowly: ${mib} MiB unsent, nothing read for ${stalled} ms`);
    this.dispose();
    this.link.closeStuck(`too slow: ${mib} MiB unread for ${(stalled / 1000).toFixed(1)} s; reconnect for the current state`);
  }

  private drained(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const [name, payload] of waiting) {
      if (name !== 'logs.appended') this.link.send(frame(name, payload));
      else if (this.waitingLogs.length) this.link.send(frame(name, this.waitingLogs));
    }
    this.waitingLogs = [];
    if (this.droppedLogLines) this.link.say(`an API client fell behind: ${this.droppedLogLines} log lines were not pushed to it (logs.query still has them)`);
    this.droppedLogLines = 0;
    this.link.resumeReading();
    this.check();
  }
}

const frame = (method: EventName, params: unknown) => JSON.stringify({ jsonrpc: '2.0', method, params });
