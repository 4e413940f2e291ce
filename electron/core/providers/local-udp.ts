import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from '../logs/logger';
import type { Forward, ForwardHandlers, ForwardSpec } from './provider';

/**
 * Asked of the kernel for the public socket (it caps it at net.core.rmem_max): a burst the event
 * loop is a moment late for waits here instead of being dropped.
 */
export const RECV_BUFFER = 2 * 1024 * 1024;

export interface LocalUdpOptions {
  host: string;
  idleMs: number;
  log: Logger;
  /** Registers the forward's close with the provider (disposed with it); returns the undo. */
  opened(close: () => Promise<void>): () => void;
}

/**
 * A UDP publication on this computer: one socket on the bind address. Every datagram goes to
 * the tunnel with its sender; replies leave from the same socket, so the peer sees them come
 * from the address it wrote to. Ports and their failures read like the TCP listener's.
 */
export function openLocalUdp(spec: ForwardSpec, handlers: ForwardHandlers, o: LocalUdpOptions): Forward {
  const { host } = o;
  const preferred = spec.publicPort ? undefined : spec.preferredPort;
  let sock: dgram.Socket | undefined;
  let closed = false;
  handlers.onStatus({ state: 'connecting', reason: `opening UDP port on ${host}` });

  const fail = (err: NodeJS.ErrnoException, port: number) => {
    const where = `${host}:${port}`;
    const reason =
      err.code === 'EADDRINUSE'
        ? `UDP port ${where} is already in use on this computer: choose another public port, or leave it empty to get a free one`
        : err.code === 'EADDRNOTAVAIL'
          ? `${host} is not an address of this computer: change the bind address in Providers`
          : err.code === 'EACCES'
            ? `not allowed to bind UDP ${where} (ports below 1024 need privileges): choose a port above 1023`
            : `cannot bind UDP ${where}: ${err.message}`;
    handlers.onStatus({ state: 'failed', reason });
  };

  // A socket whose bind failed cannot bind again: each attempt gets a fresh one.
  const bind = (port: number) => {
    // `localhost` and IPv4 literals bind IPv4; `::` takes IPv4 peers too (as ::ffff:a.b.c.d).
    const s = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: RECV_BUFFER });
    sock = s;
    const onBindError = (err: NodeJS.ErrnoException) => {
      s.close();
      if (closed) return;
      if (port !== 0 && port === preferred && err.code === 'EADDRINUSE') {
        o.log.warn(`the UDP port it had before (${host}:${preferred}) is taken now: using a free port instead, so its address changes`, { tunnel: spec.tunnelId });
        return bind(0);
      }
      fail(err, port);
    };
    s.once('error', onBindError);
    s.once('listening', () => {
      s.off('error', onBindError);
      // After binding, an error concerns one datagram (a peer gone away): never the forward.
      s.on('error', (err) => o.log.debug(`UDP socket: ${err.message}`, { tunnel: spec.tunnelId }));
      s.on('message', (data, peer) => {
        handlers.onDatagram?.(`${peer.address}:${peer.port}`, data, (reply) => {
          // A reply racing the forward's close: the socket is gone, and so is the datagram.
          if (!closed) s.send(reply, peer.port, peer.address);
        });
      });
      if (!closed) handlers.onStatus({ state: 'online', endpoint: { host, port: s.address().port } });
    });
    s.bind({ address: host, port, exclusive: true });
  };

  const close = () =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      closed = true;
      untrack();
      try {
        sock?.close(() => resolve());
      } catch {
        resolve(); // its bind failed: closed already
      }
    });
  const untrack = o.opened(close);
  bind(spec.publicPort || preferred || 0);
  return { close, peerIdleMs: o.idleMs };
}
