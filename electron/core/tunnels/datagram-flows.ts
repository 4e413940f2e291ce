import type { TunnelCounters } from '../../../shared/model';
import { formatBytes } from '../../../shared/publish-defaults';
import type { DatagramLink, Dialer } from '../labs/dialer';
import type { Logger } from '../logs/logger';
import type { DatagramReply } from '../providers/provider';
import type { ConnectionWatch, GateDecision } from './connection-gate';
import type { PipeStats } from './connection-pipe';
import { ThroughputMeter } from './throughput';

/** A peer silent this long loses its upstream socket (its next datagram opens a new one). */
export const DEFAULT_PEER_IDLE_MS = 60_000;
/** Peers at once per tunnel: beyond it datagrams from new peers are dropped (and counted). */
export const MAX_PEERS = 1024;
/** Datagrams held per peer while its upstream socket opens (a few ms locally, one SSH round trip remotely). */
const QUEUE_WHILE_OPENING = 32;
/** The same drop reason is logged at most this often. */
const DROP_LOG_MS = 10_000;
/**
 * A peer whose path to the node could not be opened (the lab host is down, has no python3) is
 * tried again after this long; meanwhile its datagrams are dropped, not each a new attempt.
 */
export const RETRY_OPEN_MS = 5000;

export interface DatagramFlowsDeps {
  dialer: Dialer;
  log: Logger;
  node: string;
  /** Counters or throughput moved (coalesced by the reconciler). */
  counted(): void;
  /** A datagram could not reach the node; `nodeDown` when the node refused the port. */
  failed(message: string, nodeDown: boolean): void;
  now?: () => number;
}

interface Flow {
  from: string;
  /**
   * `refused`: the gate said no; its datagrams are dropped quietly until it goes idle.
   * `failed`: its upstream path could not be opened; tried again after RETRY_OPEN_MS.
   */
  state: 'opening' | 'open' | 'refused' | 'failed' | 'closed';
  failedAt?: number;
  link?: DatagramLink;
  queue?: Buffer[];
  reply: DatagramReply;
  lastSeen: number;
  started: number;
  stats: PipeStats & { datagramsIn: number; datagramsOut: number };
  watch?: ConnectionWatch;
  /** Our own end-to-end probe: passed to the node, never counted, gated or audited. */
  probe: boolean;
  target: string;
}

/**
 * The public peers of one UDP tunnel. UDP has no connections: a peer is an address and port
 * that sent a datagram, and it gets its own upstream socket to the node (so each reply goes back
 * to the peer it answers) until it stays silent for the idle timeout. The table is bounded;
 * counting only adds numbers. The shares' gate admits each new peer like a TCP connection.
 */
export class DatagramFlows {
  readonly counters: TunnelCounters = { open: 0, total: 0, bytesIn: 0, bytesOut: 0, datagramsIn: 0, datagramsOut: 0, drops: 0 };
  readonly throughput: ThroughputMeter;
  idleMs = DEFAULT_PEER_IDLE_MS;
  private readonly flows = new Map<string, Flow>();
  private sweepTimer?: NodeJS.Timeout;
  private readonly dropLogged = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly o: DatagramFlowsDeps,
    readonly maxPeers = MAX_PEERS,
  ) {
    this.now = o.now ?? Date.now;
    this.throughput = new ThroughputMeter(o.now);
  }

  get peers(): number {
    return this.flows.size;
  }

  /**
   * One datagram from a public peer. `admit` is asked once per new peer (before anything is
   * sent to the node); `probe` marks our own end-to-end probe.
   */
  handle(from: string, data: Buffer, reply: DatagramReply, target: { host: string; port: number }, admit: (from: string) => GateDecision, probe = false): void {
    const now = this.now();
    let flow = this.flows.get(from);
    if (flow?.state === 'failed') {
      if (now - flow.failedAt! < RETRY_OPEN_MS) return this.drop(null);
      this.close(flow, 'retrying');
      flow = undefined;
    }
    if (flow) flow.lastSeen = now;
    else {
      if (this.flows.size >= this.maxPeers) return this.drop('full', `the peer table is full (${this.maxPeers} peers active): datagrams from new peers are dropped until some go idle (${this.idleMs / 1000} s)`);
      flow = this.open(from, reply, target, admit, probe, now);
    }
    if (flow.state === 'refused' || flow.state === 'failed') return this.drop(null);
    if (!flow.probe) this.countIn(flow, data.length, now);
    if (flow.state === 'open') flow.link!.send(data);
    else if (flow.queue!.length < QUEUE_WHILE_OPENING) flow.queue!.push(data);
    else this.drop('queue', `peer ${from}: more than ${QUEUE_WHILE_OPENING} datagrams before the node's socket opened; the rest are dropped`);
  }

  /** The node moved or went away: every peer's socket points at the old address. */
  closeAll(why: string): void {
    for (const f of [...this.flows.values()]) this.close(f, why);
  }

  /** Datagrams that found no node (it is not running): counted, nothing sent. */
  dropNoNode(from: string, why: string): void {
    this.drop('no-node', `datagram from ${from} dropped: ${why}`);
  }

  private open(from: string, reply: DatagramReply, target: { host: string; port: number }, admit: (from: string) => GateDecision, probe: boolean, now: number): Flow {
    const decision: GateDecision = probe ? { allowed: true } : admit(from);
    const flow: Flow = {
      from,
      state: decision.allowed ? 'opening' : 'refused',
      queue: [],
      reply,
      lastSeen: now,
      started: now,
      stats: { bytesIn: 0, bytesOut: 0, datagramsIn: 0, datagramsOut: 0 },
      watch: decision.allowed ? decision.watch : undefined,
      probe,
      target: `${target.host}:${target.port}`,
    };
    this.flows.set(from, flow);
    this.scheduleSweep();
    if (!decision.allowed) {
      // Once per peer, not per datagram: a refused sender cannot flood the log or the audit.
      this.o.log.warn(`datagrams from ${from} refused: ${decision.reason}`, { from, refused: true });
      return flow;
    }
    if (!probe) {
      this.counters.open++;
      this.counters.total++;
    }
    this.o.dialer
      .openDatagram(target.host, target.port, {
        message: (data) => this.fromNode(flow, data),
        error: (err, fatal) => this.upstreamError(flow, err, fatal),
      })
      .then(
        (link) => {
          if (flow.state !== 'opening') return link.close();
          flow.state = 'open';
          flow.link = link;
          for (const d of flow.queue!) link.send(d);
          flow.queue = undefined;
          if (!probe) this.o.log.info(`peer ${from}: forwarding datagrams to ${flow.target}`, { from, target: flow.target });
          flow.watch?.opened(flow.stats, () => this.close(flow, 'cut by its share'));
        },
        (err: Error) => {
          if (flow.state !== 'opening') return;
          const message = `node ${this.o.node}: cannot open a datagram path to ${flow.target}: ${err.message}`;
          this.dropLog('open', message, 'error');
          this.o.failed(message, false);
          this.counters.drops! += flow.queue!.length;
          // Kept a moment: the peer's next datagrams are dropped, not each another attempt.
          flow.state = 'failed';
          flow.failedAt = this.now();
          flow.queue = undefined;
          if (!probe) this.counters.open--;
          flow.watch?.closed({ bytesIn: flow.stats.bytesIn, bytesOut: flow.stats.bytesOut }, message);
          this.o.counted();
        },
      );
    return flow;
  }

  private fromNode(flow: Flow, data: Buffer): void {
    if (flow.state !== 'open') return;
    const now = this.now();
    flow.lastSeen = now;
    if (!flow.probe) {
      flow.stats.bytesOut += data.length;
      flow.stats.datagramsOut++;
      this.counters.bytesOut += data.length;
      this.counters.datagramsOut!++;
      this.counters.lastDatagramAt = now;
      this.throughput.add('out', data.length);
      this.o.counted();
    }
    flow.reply(data);
    // Our probe needs one answer; its socket need not wait for the idle timeout.
    if (flow.probe) this.close(flow, 'answered');
  }

  private countIn(flow: Flow, n: number, now: number): void {
    flow.stats.bytesIn += n;
    flow.stats.datagramsIn++;
    this.counters.bytesIn += n;
    this.counters.datagramsIn!++;
    this.counters.lastDatagramAt = now;
    this.throughput.add('in', n);
    this.o.counted();
  }

  private upstreamError(flow: Flow, err: NodeJS.ErrnoException, fatal: boolean): void {
    if (flow.state === 'closed') return;
    const refused = err.code === 'ECONNREFUSED';
    const message = refused
      ? `node ${this.o.node} does not listen on UDP port ${flow.target.slice(flow.target.lastIndexOf(':') + 1)} (port unreachable): datagrams from ${flow.from} are lost`
      : `datagrams from ${flow.from} to ${flow.target}: ${err.message}`;
    // The ICMP error stands for a datagram the node never took.
    this.counters.drops!++;
    this.dropLog(refused ? 'refused' : 'error', message, refused ? 'warn' : 'error');
    this.o.failed(message, refused);
    if (fatal) this.close(flow, err.message);
  }

  private close(flow: Flow, why: string): void {
    if (flow.state === 'closed') return;
    // Refused and failed peers were never (or no longer) counted as open.
    const counted = flow.state !== 'refused' && flow.state !== 'failed' && !flow.probe;
    flow.state = 'closed';
    flow.link?.close();
    flow.queue = undefined;
    this.flows.delete(flow.from);
    if (!this.flows.size) this.stopSweep();
    if (!counted) return;
    this.counters.open--;
    const s = flow.stats;
    const secs = Math.round((this.now() - flow.started) / 100) / 10;
    this.o.log.info(`peer ${flow.from} ${why} after ${secs} s: ${s.datagramsIn} datagrams in (${formatBytes(s.bytesIn)}), ${s.datagramsOut} out (${formatBytes(s.bytesOut)})`, {
      from: flow.from,
      datagramsIn: s.datagramsIn,
      datagramsOut: s.datagramsOut,
      bytesIn: s.bytesIn,
      bytesOut: s.bytesOut,
    });
    flow.watch?.closed({ bytesIn: s.bytesIn, bytesOut: s.bytesOut });
    this.o.counted();
  }

  /** One timer per tunnel, only while it has peers: closes those silent past the idle timeout. */
  private scheduleSweep(): void {
    if (this.sweepTimer) return;
    const every = Math.max(100, Math.min(5000, this.idleMs / 4));
    this.sweepTimer = setInterval(() => {
      const stale = this.now() - this.idleMs;
      for (const f of [...this.flows.values()]) if (f.lastSeen <= stale) this.close(f, `went quiet (idle ${this.idleMs / 1000} s)`);
    }, every);
    this.sweepTimer.unref?.();
  }

  private stopSweep(): void {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  private drop(kind: string | null, message?: string): void {
    this.counters.drops!++;
    this.o.counted();
    if (kind && message) this.dropLog(kind, message, 'warn');
  }

  private dropLog(kind: string, message: string, level: 'warn' | 'error'): void {
    const now = this.now();
    if (now - (this.dropLogged.get(kind) ?? -Infinity) < DROP_LOG_MS) return;
    this.dropLogged.set(kind, now);
    this.o.log.log(level, message, { drops: this.counters.drops ?? 0 });
  }
}
