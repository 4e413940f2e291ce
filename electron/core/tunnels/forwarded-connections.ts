import type { Duplex } from 'node:stream';
import type { TunnelCounters } from '../../../shared/model';
import { formatBytes } from '../../../shared/publish-defaults';
import type { Logger } from '../logs/logger';
import type { Dialer } from '../labs/dialer';
import type { ConnectionWatch } from './connection-gate';
import { pipeConnection, type PipeStats } from './connection-pipe';
import { ThroughputMeter } from './throughput';

export interface ForwardedConnectionsDeps {
  dialer: Dialer;
  log: Logger;
  node: string;
  /** Counters or throughput moved (coalesced by the reconciler). */
  counted(): void;
  /** Something went wrong with one connection; `nodeDown` when the node could not be dialled. */
  failed(message: string, nodeDown: boolean): void;
  /** Clock for the throughput buckets; tests inject one. */
  now?: () => number;
}

/**
 * The public connections of one tunnel: dials the node for each, pipes bytes both ways and
 * counts them. Counting runs once per chunk, so it only adds numbers (no allocation).
 */
export class ForwardedConnections {
  readonly counters: TunnelCounters = { open: 0, total: 0, bytesIn: 0, bytesOut: 0 };
  readonly throughput: ThroughputMeter;
  private readonly active = new Set<Duplex>();
  private readonly onData: (dir: 'in' | 'out', n: number) => void;

  constructor(private readonly o: ForwardedConnectionsDeps) {
    this.throughput = new ThroughputMeter(o.now);
    // One closure for every connection rather than one per connection or chunk.
    this.onData = (dir, n) => {
      if (dir === 'in') this.counters.bytesIn += n;
      else this.counters.bytesOut += n;
      this.throughput.add(dir, n);
      this.o.counted();
    };
  }

  /** `watch` (the share's audit) hears when the connection opens and how it ends. */
  handle(sock: Duplex, from: string, target: { host: string; port: number }, watch?: ConnectionWatch): void {
    this.active.add(sock);
    this.counters.open++;
    this.counters.total++;
    const started = Date.now();
    this.o.counted();
    // Until the pipe takes over, a reset from the client must not go unhandled.
    const early = () => sock.destroy();
    sock.on('error', early);
    const closed = (stats: PipeStats, err?: Error, notDialled?: string) => {
      this.active.delete(sock);
      this.counters.open--;
      if (err) this.o.failed(`connection from ${from}: ${err.message}`, false);
      const ms = Date.now() - started;
      const how = err ? `, ${err.message}` : '';
      this.o.log.info(`connection from ${from} closed after ${formatDuration(ms)}: ${formatBytes(stats.bytesIn)} in, ${formatBytes(stats.bytesOut)} out${how}`, {
        from,
        bytesIn: stats.bytesIn,
        bytesOut: stats.bytesOut,
        ms,
        error: err?.message ?? null,
      });
      this.o.counted();
      watch?.closed(stats, err?.message ?? notDialled);
    };
    this.o.dialer.dial(target.host, target.port).then(
      (upstream) => {
        sock.off('error', early);
        if (sock.destroyed) {
          // The client gave up while the node was being dialled.
          upstream.destroy();
          return closed({ bytesIn: 0, bytesOut: 0 });
        }
        this.o.log.info(`connection from ${from} opened to ${target.host}:${target.port}`, { from, target: `${target.host}:${target.port}` });
        this.active.add(upstream);
        upstream.once('close', () => this.active.delete(upstream));
        const live = pipeConnection(sock, upstream, this.onData, closed);
        watch?.opened(live, () => sock.destroy());
      },
      (err: Error) => {
        sock.destroy();
        const message = `node ${this.o.node} refused ${target.host}:${target.port}: ${err.message}`;
        this.o.log.error(message, { from });
        this.o.failed(message, true);
        closed({ bytesIn: 0, bytesOut: 0 }, undefined, message);
      },
    );
  }

  closeAll(): void {
    for (const s of this.active) s.destroy();
  }
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return m < 60 ? `${m} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
