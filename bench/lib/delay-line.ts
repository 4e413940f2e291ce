/**
 * A userspace delay line on 127.0.0.1 (this kernel has no tc netem): a TCP proxy that holds
 * every chunk `delayMs` before passing it on, in each direction, with no bandwidth cap. Its
 * sockets read at once and acknowledge locally, so what limits a transfer through it is what
 * a WAN's round trip limits: the protocol's own windows (SSH channel windows here), not the
 * TCP window. Bounded: a direction holding more than `maxQueuedBytes` stops reading until it
 * has passed half of it on, so memory stays bounded whatever the sender does.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface DelayLineOptions {
  targetPort: number;
  delayMs: number;
  maxQueuedBytes?: number;
}

export interface DelayLine {
  port: number;
  close(): Promise<void>;
}

const END = Buffer.alloc(0);

/** One direction: what `from` sends reaches `to` `delayMs` later. */
class Direction {
  private readonly bufs: Buffer[] = [];
  private readonly due: number[] = [];
  private head = 0;
  private queued = 0;
  private timer?: NodeJS.Timeout;
  private blocked = false;

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly delayMs: number,
    private readonly max: number,
  ) {
    from.on('data', (b: Buffer) => this.hold(b));
    from.on('end', () => this.hold(END));
  }

  private hold(b: Buffer): void {
    this.bufs.push(b);
    this.due.push(performance.now() + this.delayMs);
    this.queued += b.length;
    if (this.queued > this.max) this.from.pause();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.blocked || this.head === this.bufs.length) return;
    this.timer = setTimeout(() => this.pass(), Math.max(0, this.due[this.head] - performance.now()));
  }

  /** Passes on every chunk that is due, in one corked burst. */
  private pass(): void {
    this.timer = undefined;
    const now = performance.now();
    this.to.cork();
    while (this.head < this.bufs.length && this.due[this.head] <= now + 0.5) {
      const b = this.bufs[this.head++];
      this.queued -= b.length;
      if (b === END) {
        this.to.end();
        continue;
      }
      if (!this.to.write(b)) {
        this.blocked = true;
        this.to.once('drain', () => {
          this.blocked = false;
          this.pass();
        });
        break;
      }
    }
    this.to.uncork();
    // Drop what was passed on now and then, not on every chunk (shift() is O(n)).
    if (this.head > 1024 && this.head * 2 > this.bufs.length) {
      this.bufs.splice(0, this.head);
      this.due.splice(0, this.head);
      this.head = 0;
    }
    if (this.queued <= this.max / 2 && this.from.isPaused()) this.from.resume();
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

export function startDelayLine(opts: DelayLineOptions): Promise<DelayLine> {
  const max = opts.maxQueuedBytes ?? 64 * 1024 * 1024;
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    const far = net.connect({ host: '127.0.0.1', port: opts.targetPort, allowHalfOpen: true, noDelay: true });
    sockets.add(client);
    sockets.add(far);
    const dirs = [new Direction(client, far, opts.delayMs, max), new Direction(far, client, opts.delayMs, max)];
    let closed = 0;
    const close = () => {
      client.destroy();
      far.destroy();
    };
    for (const s of [client, far]) {
      s.on('error', close);
      s.on('close', () => {
        sockets.delete(s);
        if (++closed === 2) dirs.forEach((d) => d.stop());
        // A reset travels at once: the other side learns of it without waiting for the data.
        if (s.errored) close();
      });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}
