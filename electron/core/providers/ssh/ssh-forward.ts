import { forwardRefused } from './relay-errors';
import { RelayPublicationBase } from './relay-publication';
import type { SshRelayConnection } from './ssh-relay-connection';

/**
 * One publication on the relay: a `tcpip-forward` on the shared connection, asked for again
 * after every reconnect. It remembers the port the relay gave it so that people keep the
 * same address across relay restarts whenever the relay allows.
 */
export class RelayForward extends RelayPublicationBase {
  private live?: { conn: SshRelayConnection; port: number; unroute: () => void };

  /**
   * Asks `conn` for the forward. `current()` says whether `conn` is still the provider's
   * connection: answers that arrive after it was replaced are dropped, because the
   * reconnect asks again anyway.
   */
  async request(conn: SshRelayConnection, bindAddress: string, publicHost: string, current: () => boolean): Promise<void> {
    if (this.closed || !current()) return;
    const first = this.bound ?? this.wanted;
    let port: number;
    try {
      port = await conn.forwardIn(bindAddress, first);
    } catch {
      if (this.closed || !current()) return;
      if (first === this.wanted) return this.refuse(first);
      // The port it had before is gone (taken while we were away): take what it first asked for.
      this.log.warn(`relay port ${first} is no longer available, asking for ${this.wanted || 'any port'}`);
      try {
        port = await conn.forwardIn(bindAddress, this.wanted);
      } catch {
        if (!this.closed && current()) this.refuse(this.wanted);
        return;
      }
    }
    if (!current()) return;
    if (this.closed) {
      await conn.unforwardIn(bindAddress, port).catch(() => undefined);
      return;
    }
    this.bound = port;
    const unroute = conn.route(port, (info, accept, reject) => {
      if (this.closed) return reject();
      this.handlers.onConnection(accept(), `${info.srcIP}:${info.srcPort}`);
    });
    this.live = { conn, port, unroute };
    this.log.info(`relay listens on port ${port}`, { port });
    this.report({ state: 'online', endpoint: { host: publicHost, port } });
    // A forward added to a running link need not wait a whole interval for its first figure.
    if (conn.lastRttMs !== undefined) this.reportRtt(conn, conn.lastRttMs);
  }

  /** A keepalive on the link this forward is live on was answered. */
  reportRtt(conn: SshRelayConnection, rttMs: number): void {
    if (this.closed || this.live?.conn !== conn) return;
    try {
      this.handlers.onHealth?.({ rttMs });
    } catch (err) {
      this.log.error('health listener failed', { error: (err as Error).message });
    }
  }

  /**
   * The connection is gone: nothing to route, but keep `bound` to ask for it again. (The
   * connections it carried were broken with the reason by the connection itself.)
   */
  detach(): void {
    this.live?.unroute();
    this.live = undefined;
  }

  /** Stops routing and, with `cancel`, asks the relay to stop listening (answered once it has). */
  async close(bindAddress: string, cancel: boolean): Promise<void> {
    this.closed = true;
    const live = this.live;
    this.detach();
    if (!cancel || !live?.conn.isReady) return;
    try {
      await live.conn.unforwardIn(bindAddress, live.port);
    } catch (err) {
      this.log.debug('relay did not confirm the forward cancel', { error: (err as Error).message });
    }
  }

  private refuse(port: number): void {
    const reason = forwardRefused(port);
    this.log.warn(reason, { port });
    this.report({ state: 'failed', reason });
  }
}
