import net from 'node:net';
import type { Duplex } from 'node:stream';

/** How the core reaches a node port: direct TCP for local labs, SSH direct-tcpip later. */
export interface Dialer {
  dial(host: string, port: number, timeoutMs?: number): Promise<Duplex>;
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
}
