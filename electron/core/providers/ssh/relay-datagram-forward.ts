import { DatagramHelper, HelperError } from '../../ssh/datagram-helper/helper-channel';
import type { Logger } from '../../logs/logger';
import type { ForwardHandlers, ForwardSpec } from '../provider';
import { RelayPublicationBase } from './relay-publication';
import type { SshRelayConnection } from './ssh-relay-connection';

/** A helper that died while its link stayed up is started again after this long. */
const RESTART_MS = 2000;

/**
 * One UDP publication on the relay. OpenSSH forwards no UDP, so the app starts its datagram
 * helper on the relay through an exec channel of the same SSH connection: the helper binds the
 * public UDP port and frames each datagram with its peer. It ends with the channel (unpublish,
 * a lost link), and is started again on every reconnect, asking for the port it had.
 */
export class RelayDatagramForward extends RelayPublicationBase {
  private live?: { conn: SshRelayConnection; helper: DatagramHelper };
  private restartTimer?: NodeJS.Timeout;
  /** Where the last request bound and what it announced: a restarted helper does the same. */
  private at = { bindAddress: '', publicHost: '' };

  constructor(
    spec: ForwardSpec,
    handlers: ForwardHandlers,
    log: Logger,
    private readonly idleSeconds: number,
  ) {
    super(spec, handlers, log);
  }

  async request(conn: SshRelayConnection, bindAddress: string, publicHost: string, current: () => boolean): Promise<void> {
    if (this.closed || !current()) return;
    this.at = { bindAddress, publicHost };
    const first = this.bound ?? this.wanted;
    let helper: DatagramHelper;
    try {
      helper = await this.start(conn, bindAddress, first, current);
    } catch (err) {
      if (this.closed || !current()) return;
      const e = err as HelperError;
      if (e.kind === 'bind' && e.code === 'EADDRINUSE' && first !== this.wanted) {
        this.log.warn(`relay UDP port ${first} is no longer available, asking for ${this.wanted || 'any port'}`);
        try {
          helper = await this.start(conn, bindAddress, this.wanted, current);
        } catch (again) {
          if (!this.closed && current()) this.refuse(again as HelperError, this.wanted);
          return;
        }
      } else return this.refuse(e, first);
    }
    if (!current() || this.closed) return helper.close();
    this.bound = helper.port;
    this.live = { conn, helper };
    this.log.info(`relay listens on UDP port ${helper.port} (helper: ${helper.runs})`, { port: helper.port });
    this.report({ state: 'online', endpoint: { host: publicHost, port: helper.port } });
    if (conn.lastRttMs !== undefined) this.reportRtt(conn, conn.lastRttMs);
  }

  reportRtt(conn: SshRelayConnection, rttMs: number): void {
    if (this.closed || this.live?.conn !== conn) return;
    try {
      this.handlers.onHealth?.({ rttMs });
    } catch (err) {
      this.log.error('health listener failed', { error: (err as Error).message });
    }
  }

  /** The link is gone, and the helper's channel with it (the relay ends the helper). */
  detach(): void {
    clearTimeout(this.restartTimer);
    this.live = undefined;
  }

  async close(_bindAddress?: string, _cancel?: boolean): Promise<void> {
    this.closed = true;
    const live = this.live;
    this.detach();
    // Its stdin closes: the helper exits and the relay frees the port.
    live?.helper.close();
  }

  private start(conn: SshRelayConnection, bindAddress: string, port: number, current: () => boolean): Promise<DatagramHelper> {
    let self: DatagramHelper | undefined;
    return DatagramHelper.start(
      (cmd) => conn.exec(cmd),
      { mode: 'bind', address: bindAddress, port, idleSeconds: this.idleSeconds },
      {
        datagram: (peer, data) => {
          if (this.closed || this.live?.helper !== self) return;
          this.handlers.onDatagram?.(`${peer.address}:${peer.port}`, data, (reply) => self!.send(peer, reply));
        },
        closed: (why) => {
          if (this.closed || this.live?.helper !== self) return;
          this.live = undefined;
          // The link itself is fine (a lost link detaches first): the helper was killed on the relay.
          if (!current()) return;
          this.log.warn(`the UDP helper on the relay ended (${why}); starting it again`);
          this.report({ state: 'reconnecting', reason: `the UDP helper on the relay ended (${why})`, nextRetryAt: Date.now() + RESTART_MS });
          this.restartTimer = setTimeout(() => void this.request(conn, this.at.bindAddress, this.at.publicHost, current), RESTART_MS);
        },
      },
      'the relay',
    ).then((h) => (self = h));
  }

  private refuse(e: HelperError, port: number): void {
    const reason =
      e.kind === 'bind'
        ? e.code === 'EADDRINUSE'
          ? `UDP port ${port} is already in use on the relay: choose another public port, or leave it empty to get a free one`
          : e.code === 'EACCES'
            ? `the relay does not allow binding UDP port ${port} (ports below 1024 need privileges): choose a port above 1023`
            : `the relay cannot bind UDP ${e.message}${e.code ? ` (${e.code})` : ''}`
        : e.message;
    this.log.warn(reason, { port });
    this.report({ state: 'failed', reason });
  }
}
