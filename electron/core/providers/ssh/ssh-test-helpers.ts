/**
 * Helpers for the SSH provider's integration tests: status recorders that turn callbacks into
 * awaitable promises, and loopback TCP endpoints that clean up after themselves.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startSshd, type TestSshd } from '../../../../test-support/sshd';
import type { ProviderInfo } from '../../../../shared/model';
import type { ForwardHandlers, ForwardSpec, ForwardStatus, TunnelProvider } from '../provider';

const WAIT_MS = 20_000;

/** Resolves when `pred` holds for the value `subscribe` reports; checks `now()` first. */
function waitUntil<T>(now: () => T | undefined, subscribe: (check: () => void) => () => void, pred: (v: T) => boolean, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(now())}`));
    }, WAIT_MS);
    const check = () => {
      const v = now();
      if (v === undefined || !pred(v)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(v);
    };
    unsubscribe = subscribe(check);
    check();
  });
}

/** Handlers for one forward: records every status and pipes connections where the test says. */
export class ForwardRecorder implements ForwardHandlers {
  readonly statuses: ForwardStatus[] = [];
  readonly from: string[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly pipeTo?: number) {}

  onStatus(status: ForwardStatus): void {
    this.statuses.push(status);
    for (const l of [...this.listeners]) l();
  }

  onConnection(socket: Duplex, from: string): void {
    this.from.push(from);
    if (!this.pipeTo) return void socket.destroy();
    const up = net.connect({ host: '127.0.0.1', port: this.pipeTo });
    socket.pipe(up).pipe(socket);
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  }

  get last(): ForwardStatus | undefined {
    return this.statuses[this.statuses.length - 1];
  }

  /** The latest status, now or later, in `state` (and matching `pred`). */
  until<S extends ForwardStatus['state']>(state: S, pred: (s: Extract<ForwardStatus, { state: S }>) => boolean = () => true): Promise<Extract<ForwardStatus, { state: S }>> {
    type T = Extract<ForwardStatus, { state: S }>;
    return waitUntil<ForwardStatus>(
      () => this.last,
      (check) => {
        this.listeners.add(check);
        return () => this.listeners.delete(check);
      },
      (s) => s.state === state && pred(s as T),
      `forward state ${state}`,
    ) as Promise<T>;
  }
}

export function waitForInfo(provider: TunnelProvider, pred: (i: ProviderInfo) => boolean, what: string): Promise<ProviderInfo> {
  return waitUntil(() => provider.info(), (check) => provider.onChanged(check), pred, what);
}

export function spec(tunnelId: string, publicPort?: number): ForwardSpec {
  return { tunnelId, name: `clab-r1-tcp-${tunnelId}`, lab: 'lab', node: 'r1', port: 22, type: 'tcp', access: [], publicPort };
}

/** Loopback TCP servers (echo or plain listeners) closed by `closeAll()`. */
export class LoopbackServers {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();

  async echo(): Promise<number> {
    return this.listen(net.createServer((s) => s.pipe(s)));
  }

  /** A listener that only holds a port. */
  async hold(host = '127.0.0.1', port = 0): Promise<number> {
    return this.listen(net.createServer((s) => s.destroy()), host, port);
  }

  async closeAll(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((srv) => new Promise((r) => srv.close(r))));
    this.servers.length = 0;
  }

  private listen(srv: net.Server, host = '127.0.0.1', port = 0): Promise<number> {
    srv.on('connection', (s) => {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => this.sockets.delete(s));
    });
    this.servers.push(srv);
    return new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, host, () => resolve((srv.address() as net.AddressInfo).port));
    });
  }
}

/** Sends `size` random bytes to 127.0.0.1:port and reads the echo back. */
export function roundTrip(port: number, size: number): Promise<{ sent: Buffer; received: Buffer; localPort: number }> {
  const sent = randomBytes(size);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let got = 0;
    sock.setTimeout(WAIT_MS, () => sock.destroy(new Error(`echo through port ${port} stalled after ${got} of ${size} bytes`)));
    sock.on('connect', () => sock.write(sent));
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      got += d.length;
      if (got >= size) {
        const localPort = sock.localPort!;
        sock.destroy();
        resolve({ sent, received: Buffer.concat(chunks), localPort });
      }
    });
    sock.on('error', reject);
    sock.on('close', () => reject(new Error(`connection through port ${port} closed after ${got} of ${size} bytes`)));
  });
}

/** Whether anything accepts TCP connections on 127.0.0.1:port right now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.on('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? resolve(false) : reject(err)));
  });
}

/**
 * One real sshd as the relay for the calling test file (registers its vitest hooks): started
 * once and handed to `started`, started again after each test (one may stop it, and the
 * file's own after-each clean-up runs first), removed at the end.
 */
export function relaySshdForFile(started: (sshd: TestSshd) => void): void {
  let sshd: TestSshd | undefined;
  beforeAll(async () => {
    sshd = await startSshd();
    started(sshd);
  });
  afterEach(async () => {
    await sshd?.start();
  });
  afterAll(async () => {
    await sshd?.stop();
    if (sshd) fs.rmSync(sshd.dir, { recursive: true, force: true });
  });
}
