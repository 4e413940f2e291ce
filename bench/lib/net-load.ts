/**
 * The "node" servers (sink, echo) and the load generators, all on 127.0.0.1 in the bench
 * process: the same client and servers measure the app, OpenSSH and plain TCP.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { onCleanup } from './procs';

const HOST = '127.0.0.1';

export interface NodeServers {
  /** Counts what it receives; after the client's end it answers the count (8 bytes) and ends. */
  sinkPort: number;
  /** Echoes everything back. */
  echoPort: number;
  /** Reads an 8-byte count, sends that many bytes, and ends (a download). */
  sourcePort: number;
  /** Speaks first: one byte the moment a connection arrives (like an SSH or SMTP server). */
  bannerPort: number;
  close(): Promise<void>;
}

export async function startNodeServers(): Promise<NodeServers> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  };
  const sink = net.createServer({ allowHalfOpen: true, noDelay: true }, (s) => {
    track(s);
    let n = 0;
    s.on('data', (b: Buffer) => (n += b.length));
    s.on('end', () => {
      const count = Buffer.alloc(8);
      count.writeBigUInt64BE(BigInt(n));
      s.end(count);
    });
  });
  const echo = net.createServer({ noDelay: true }, (s) => {
    track(s);
    s.pipe(s);
  });
  const source = net.createServer({ noDelay: true }, (s) => {
    track(s);
    let req = Buffer.alloc(0);
    const onReq = (d: Buffer) => {
      req = Buffer.concat([req, d]);
      if (req.length < 8) return;
      s.off('data', onReq);
      let left = Number(req.readBigUInt64BE(0));
      const pump = () => {
        while (left > 0) {
          const n = Math.min(CHUNK.length, left);
          left -= n;
          if (!s.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
    };
    s.on('data', onReq);
  });
  const banner = net.createServer({ noDelay: true }, (s) => {
    track(s);
    s.write('+');
    s.resume();
  });
  const listen = (srv: net.Server) => new Promise<number>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, HOST, () => resolve((srv.address() as net.AddressInfo).port));
  });
  const [sinkPort, echoPort, sourcePort, bannerPort] = await Promise.all([sink, echo, source, banner].map(listen));
  const close = async () => {
    unregister();
    for (const s of sockets) s.destroy();
    await Promise.all([sink, echo, source, banner].map((srv) => new Promise((r) => srv.close(r))));
  };
  const unregister = onCleanup(close);
  return { sinkPort, echoPort, sourcePort, bannerPort, close };
}

export interface PushResult {
  bytes: number;
  ms: number;
  mbPerS: number;
}

const CHUNK = randomBytes(256 * 1024);

/**
 * Sends up to `total` bytes to the sink behind `port`, as fast as the path takes them, and
 * stops sending at `maxMs`. The sink's count (not what was written) is what got through.
 */
export function pushBytes(port: number, total: number, maxMs: number): Promise<PushResult> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: HOST, port, allowHalfOpen: true });
    let start = 0;
    let sent = 0;
    let answer = Buffer.alloc(0);
    const pump = () => {
      while (sent < total && performance.now() - start < maxMs) {
        const n = Math.min(CHUNK.length, total - sent);
        sent += n;
        if (!sock.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return void sock.once('drain', pump);
      }
      sock.end();
    };
    sock.setTimeout(maxMs + 30_000, () => sock.destroy(new Error(`no answer from the sink via port ${port}`)));
    sock.once('connect', () => {
      start = performance.now();
      pump();
    });
    sock.on('data', (d: Buffer) => (answer = Buffer.concat([answer, d])));
    sock.once('end', () => {
      const ms = performance.now() - start;
      sock.destroy();
      if (answer.length !== 8) return reject(new Error(`sink via port ${port} answered ${answer.length} bytes instead of its 8-byte count`));
      const bytes = Number(answer.readBigUInt64BE(0));
      if (bytes !== sent) return reject(new Error(`sent ${sent} bytes via port ${port}, the node received ${bytes}`));
      resolve({ bytes, ms, mbPerS: bytes / 1e6 / (ms / 1000) });
    });
    sock.once('error', reject);
  });
}

/**
 * Asks the source behind `port` for `total` bytes and reads them as fast as the path brings
 * them; stops reading at `maxMs` (the rate still counts). Timed from the connect call.
 */
export function pullBytes(port: number, total: number, maxMs: number): Promise<PushResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const sock = net.connect({ host: HOST, port });
    let got = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      const ms = performance.now() - start;
      sock.destroy();
      resolve({ bytes: got, ms, mbPerS: got / 1e6 / (ms / 1000) });
    };
    sock.once('connect', () => {
      const req = Buffer.alloc(8);
      req.writeBigUInt64BE(BigInt(total));
      sock.write(req);
      timer = setTimeout(done, maxMs);
    });
    sock.on('data', (d: Buffer) => (got += d.length));
    sock.once('end', () => {
      if (got !== total) {
        clearTimeout(timer);
        sock.destroy();
        return reject(new Error(`asked for ${total} bytes via port ${port}, the path delivered ${got} and ended`));
      }
      done();
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** One connection to a server that speaks first: ms from the connect call to its first byte. */
export function firstByte(port: number, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const sock = net.connect({ host: HOST, port, noDelay: true });
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`no first byte via port ${port} within ${timeoutMs} ms`)));
    sock.once('data', () => {
      const ms = performance.now() - start;
      sock.destroy();
      resolve(ms);
    });
    sock.once('error', reject);
    sock.once('close', () => reject(new Error(`connection via port ${port} closed before the first byte`)));
  });
}

/** One short connection: connect, send 1 byte, read it back; ms until the echo arrived. */
export function pingOnce(port: number, timeoutMs = 10_000, host = HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const sock = net.connect({ host, port, noDelay: true });
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`no echo via port ${port} within ${timeoutMs} ms`)));
    sock.once('connect', () => sock.write('x'));
    sock.once('data', () => {
      const ms = performance.now() - start;
      sock.destroy();
      resolve(ms);
    });
    sock.once('error', reject);
    sock.once('close', () => reject(new Error(`connection via port ${port} closed before the echo`)));
  });
}

/** Why one echo failed: the connection was refused or reset, it ended early, the bytes differed, or it stalled. */
export type EchoFailure = 'refused' | 'reset' | 'short read' | 'corrupted' | 'stalled' | 'other';

export interface ConcurrentResult {
  connections: number;
  verified: number;
  failed: number;
  /** How many echoes failed for each cause. */
  causes: Partial<Record<EchoFailure, number>>;
  /** Bytes sent that never came back (or came back different), over all failed echoes. */
  lostBytes: number;
  firstError?: string;
  /** Each distinct error message with how many connections ended with it. */
  errors: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  wallMs: number;
}

class EchoError extends Error {
  constructor(
    readonly kind: EchoFailure,
    message: string,
    /** Bytes that came back intact before it failed. */
    readonly received: number,
  ) {
    super(message);
  }
}

function causeOf(err: NodeJS.ErrnoException): EchoFailure {
  if (err.code === 'ECONNREFUSED') return 'refused';
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return 'reset';
  return 'other';
}

/** "12 reset, 3 short read": the causes of the failed echoes, for a note. */
export function describeFailures(r: Pick<ConcurrentResult, 'causes' | 'lostBytes'>): string {
  const parts = Object.entries(r.causes).map(([cause, n]) => `${n} ${cause}`);
  return parts.length ? `${parts.join(', ')} (${r.lostBytes.toLocaleString('en')} bytes lost)` : 'none failed';
}

/** `n` connections opened at once, each echoing `size` random bytes, compared byte for byte. */
export async function concurrentEcho(port: number, n: number, size: number, timeoutMs = 60_000): Promise<ConcurrentResult> {
  const start = performance.now();
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const sent = randomBytes(size);
      const got: Buffer[] = [];
      let len = 0;
      const fail = (cause: EchoFailure, message: string) => reject(new EchoError(cause, message, len));
      const sock = net.connect({ host: HOST, port, noDelay: true });
      sock.setTimeout(timeoutMs, () => {
        fail('stalled', `stalled after ${len} of ${size} bytes`);
        sock.destroy();
      });
      sock.once('connect', () => sock.write(sent));
      sock.on('data', (d: Buffer) => {
        got.push(d);
        len += d.length;
        if (len < size) return;
        const ms = performance.now() - start;
        sock.destroy();
        if (len === size && Buffer.concat(got).equals(sent)) resolve(ms);
        else fail('corrupted', `echo differs from what was sent (${len} bytes back)`);
      });
      sock.once('error', (err: NodeJS.ErrnoException) => fail(causeOf(err), `${err.code ?? err.message} after ${len} of ${size} bytes`));
      sock.once('close', () => fail('short read', `closed after ${len} of ${size} bytes`));
    });
  const settled = await Promise.allSettled(Array.from({ length: n }, one));
  const ms = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as EchoError] : []));
  const sorted = ms.sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
  const count = <K extends string>(keys: K[]) => keys.reduce<Partial<Record<K, number>>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});
  return {
    connections: n,
    verified: ms.length,
    failed: failures.length,
    causes: count(failures.map((f) => f.kind)),
    lostBytes: failures.reduce((a, f) => a + size - (f.kind === 'corrupted' ? 0 : f.received), 0),
    firstError: failures[0]?.message,
    errors: count(failures.map((f) => f.message.replace(/after \d+ of/, 'after N of'))) as Record<string, number>,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    wallMs: performance.now() - start,
  };
}

/** One connection that the far side closes (or refuses): resolves with our local port. */
function touch(port: number): Promise<number> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: HOST, port });
    let local = 0;
    sock.once('connect', () => (local = sock.localPort ?? 0));
    sock.on('error', () => undefined);
    sock.once('close', () => resolve(local));
  });
}

/** `count` connections, `parallel` at a time, each closed by the far side. */
export async function churn(port: number, count: number, parallel: number): Promise<void> {
  let left = count;
  const worker = async () => {
    while (left > 0) {
      left--;
      await touch(port);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** One more such connection; its local port names the log line it causes. */
export const touchOnce = touch;

/** `start(i)` called at a steady `perSecond` for `ms` (in 10 ms ticks, not awaited one by one); resolves once all settled. */
export async function atRate(perSecond: number, ms: number, start: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  let started = 0;
  const inflight = new Set<Promise<unknown>>();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - t0;
      const due = Math.floor((Math.min(elapsed, ms) / 1000) * perSecond);
      for (; started < due; started++) {
        const p = start(started).catch(() => undefined);
        inflight.add(p);
        void p.then(() => inflight.delete(p));
      }
      if (elapsed >= ms) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  await Promise.all(inflight);
  return started;
}

/** Connections at a steady `perSecond` for `ms`, each closed by the far side. */
export function churnAt(port: number, perSecond: number, ms: number): Promise<number> {
  return atRate(perSecond, ms, () => touch(port));
}
