import dgram from 'node:dgram';
import net from 'node:net';
import type { Duplex } from 'node:stream';

/** How the core reaches a node port: direct TCP/UDP for local labs, through SSH for remote hosts. */
export interface Dialer {
  dial(host: string, port: number, timeoutMs?: number): Promise<Duplex>;
  /**
   * A datagram path to the node's UDP port, as its own upstream socket: one per public peer, so
   * the node's replies come back on the path of the peer they answer. Resolves once datagrams
   * can be sent; rejects (with the reason in words) when the path cannot be opened.
   */
  openDatagram(host: string, port: number, events: DatagramEvents): Promise<DatagramLink>;
}

export interface DatagramLink {
  /** Sends one datagram to the node; UDP: no promise it arrives. */
  send(data: Buffer): void;
  close(): void;
}

export interface DatagramEvents {
  /** A datagram from the node. */
  message(data: Buffer): void;
  /**
   * Something went wrong. `ECONNREFUSED`: the node answered a datagram with ICMP port unreachable
   * (nothing listens on the port); the link stays usable. `fatal`: the link is gone.
   */
  error(err: NodeJS.ErrnoException, fatal: boolean): void;
}

export class DirectDialer implements Dialer {
  dial(host: string, port: number, timeoutMs = 5000): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host, port, noDelay: true });
      // ETIMEDOUT like the kernel's own timeout, so callers tell "no answer" from "refused".
      const timer = setTimeout(() => sock.destroy(Object.assign(new Error(`timed out after ${timeoutMs} ms connecting to ${host}:${port}`), { code: 'ETIMEDOUT' })), timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        resolve(sock);
      });
      sock.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** A connected UDP socket: the kernel passes only the node's datagrams, and its ICMP errors. */
  openDatagram(host: string, port: number, events: DatagramEvents): Promise<DatagramLink> {
    return new Promise((resolve, reject) => {
      // A larger receive buffer (the kernel caps it) absorbs a burst of replies while the loop is busy.
      const sock = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: 1024 * 1024 });
      let open = false;
      sock.on('error', (err: NodeJS.ErrnoException) => {
        if (!open) {
          sock.close();
          return reject(err);
        }
        // A port-unreachable arrives as ECONNREFUSED on the next receive: the socket goes on.
        events.error(err, err.code !== 'ECONNREFUSED' && err.code !== 'EHOSTUNREACH' && err.code !== 'ENETUNREACH');
      });
      sock.on('message', (data) => events.message(data));
      sock.connect(port, host, () => {
        open = true;
        let closed = false;
        resolve({
          send: (data) => {
            if (!closed) sock.send(data);
          },
          close: () => {
            if (closed) return;
            closed = true;
            sock.close();
          },
        });
      });
    });
  }
}
