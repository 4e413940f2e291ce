/**
 * UDP stand-ins for core tests: a real echo server (each datagram back to the socket it came
 * from, byte for byte) that records the source addresses it saw, and a client that sends from
 * its own socket and waits for the answers. Event-driven: no sleeps.
 */
import dgram from 'node:dgram';
import net from 'node:net';

export interface UdpEcho {
  port: number;
  /**
   * `addr:port` of every socket that sent a non-empty datagram here, in order of the first one.
   * Empty datagrams are the tunnels' health probes: counted apart, in `probes`.
   */
  peers: string[];
  /** Non-empty datagrams received. */
  received: number;
  probes: number;
  close(): Promise<void>;
}

/** `silent`: receives and records, never answers (a syslog or NetFlow collector). */
export async function startUdpEcho(host = '127.0.0.1', port = 0, opts: { silent?: boolean } = {}): Promise<UdpEcho> {
  const sock = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  const echo: UdpEcho = {
    port: 0,
    peers: [],
    received: 0,
    probes: 0,
    close: () => new Promise<void>((r) => sock.close(() => r())),
  };
  sock.on('message', (data, peer) => {
    if (data.length === 0) echo.probes++;
    else {
      echo.received++;
      const key = `${peer.address}:${peer.port}`;
      if (!echo.peers.includes(key)) echo.peers.push(key);
    }
    if (!opts.silent) sock.send(data, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, host, () => resolve());
  });
  echo.port = sock.address().port;
  return echo;
}

export interface UdpClient {
  /** The address the far side sees: `addr:port`. */
  local: string;
  /** Every datagram that came back, in order. */
  replies: Buffer[];
  send(data: Buffer | string): void;
  /** Resolves with the `n`th reply (1-based) once it arrived; rejects after `timeoutMs`. */
  reply(n: number, timeoutMs?: number): Promise<Buffer>;
  /** Resolves when no reply came within `ms` (for what must not come back). */
  silentFor(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

/** A connected UDP socket to `host:port` (from `localAddress` when given): replies from anywhere else are not delivered. */
export async function udpClient(host: string, port: number, opts: { localAddress?: string } = {}): Promise<UdpClient> {
  const sock = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  const replies: Buffer[] = [];
  const waiters = new Set<() => void>();
  sock.on('message', (d) => {
    replies.push(d);
    waiters.forEach((w) => w());
  });
  sock.on('error', () => undefined); // port unreachable while nothing listens: the test decides
  if (opts.localAddress) await new Promise<void>((resolve) => sock.bind(0, opts.localAddress, () => resolve()));
  await new Promise<void>((resolve) => sock.connect(port, host, () => resolve()));
  const a = sock.address();
  return {
    local: `${a.address}:${a.port}`,
    replies,
    send: (data) => sock.send(typeof data === 'string' ? Buffer.from(data) : data),
    reply: (n, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (replies.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(replies[n - 1]);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`reply ${n} did not come within ${timeoutMs} ms (got ${replies.length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    silentFor: (ms) =>
      new Promise((resolve) => {
        const before = replies.length;
        setTimeout(() => resolve(replies.length === before), ms);
      }),
    close: () => new Promise<void>((r) => sock.close(() => r())),
  };
}
