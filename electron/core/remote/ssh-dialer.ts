import type { Duplex } from 'node:stream';
import type { DatagramEvents, DatagramLink, Dialer } from '../labs/dialer';
import { socketLike } from './channel-socket';
import type { HostConnection } from './host-connection';
import { SshDatagrams } from './ssh-datagrams';

/**
 * Reaches node ports of a remote lab host with SSH direct-tcpip through the host's own
 * connection: the host connects to the node, so this machine needs no route to the lab's
 * management network. Follows the host across reconnects; refuses plainly while it is down.
 */
export class SshDialer implements Dialer {
  /** The UDP helper of each connection (one per connection, gone with it). */
  private readonly datagrams = new WeakMap<HostConnection, SshDatagrams>();

  constructor(
    private readonly connection: () => HostConnection | undefined,
    /** Why there is no connection right now, in words (host label + last error). */
    private readonly why: () => string,
    /** `lab host <label>`, for messages. */
    private readonly where = 'the lab host',
  ) {}

  dial(host: string, port: number, timeoutMs = 5000): Promise<Duplex> {
    const conn = this.connection();
    if (!conn?.isReady) return Promise.reject(new Error(this.why()));
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`timed out after ${timeoutMs} ms asking the lab host to connect to ${host}:${port}`));
      }, timeoutMs);
      conn.forwardOut(host, port).then(
        (ch) => {
          clearTimeout(timer);
          // ssh2 cannot cancel a channel open: one that arrives too late is closed at once.
          if (timedOut) return void ch.destroy();
          resolve(socketLike(ch));
        },
        (err: Error) => {
          clearTimeout(timer);
          // sshd answers "Connection refused" / "open failed" as the reason of the channel failure.
          reject(new Error(`the lab host could not connect to ${host}:${port}: ${err.message.replace(/^\(SSH\) Channel open failure: /, '')}`));
        },
      );
    });
  }

  /** UDP to a node: a flow of the host's datagram helper (started with the first one). */
  openDatagram(host: string, port: number, events: DatagramEvents): Promise<DatagramLink> {
    const conn = this.connection();
    if (!conn?.isReady) return Promise.reject(new Error(this.why()));
    let d = this.datagrams.get(conn);
    if (!d) this.datagrams.set(conn, (d = new SshDatagrams(conn, this.where)));
    return d.open(host, port, events);
  }
}

/**
 * The dialer tunnels hold for one host id, for the app's lifetime: it follows whichever host
 * has that id now. Removing the host closes it (every dial refused, saying why); adding the
 * same address again (same id) opens it again, so running tunnels need not be rebuilt.
 */
export class HostIdDialer implements Dialer {
  constructor(
    private readonly current: () => Dialer | undefined,
    private readonly removed: () => string,
  ) {}

  dial(host: string, port: number, timeoutMs?: number): Promise<Duplex> {
    const d = this.current();
    return d ? d.dial(host, port, timeoutMs) : Promise.reject(new Error(this.removed()));
  }

  openDatagram(host: string, port: number, events: DatagramEvents): Promise<DatagramLink> {
    const d = this.current();
    return d ? d.openDatagram(host, port, events) : Promise.reject(new Error(this.removed()));
  }
}
