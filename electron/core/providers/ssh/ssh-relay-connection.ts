import type { ClientChannel, TcpConnectionDetails } from 'ssh2';
import { widenWindow, WindowBudget, windowForRtt } from '../../ssh/channel-window';
import { SshLink } from '../../ssh/ssh-link';
import { loginConfig } from '../../ssh/ssh-login';
import type { HostKeyStore } from '../../ssh/host-key-store';
import { classify, hostKeyError, RelayError, type RelayAddress } from './relay-errors';

export interface RelayTarget extends RelayAddress {
  /** Private key file on this machine; read at each connect, never kept or logged. */
  keyFile?: string;
}

export interface RelayConnectionOptions {
  target: RelayTarget;
  hostKeys: HostKeyStore;
  /** Called once when a connection that was ready ends, with the reason. */
  onClose(err: RelayError): void;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Round trip of each answered keepalive (also kept in `lastRttMs`). */
  onRtt?(ms: number): void;
}

/**
 * The windows above ssh2's 2 MB of one relay link's forwarded connections come from this
 * budget (see channel-window.ts): how much more a far relay can make us hold, whatever it does.
 */
const WINDOW_BUDGET = 128 * 1024 * 1024;

export type IncomingConnection = (info: TcpConnectionDetails, accept: () => ClientChannel, reject: () => void) => void;

/**
 * The SSH link to the relay: verifies the host key against the store, authenticates, and
 * hands each forwarded connection to whoever registered the port it arrived on.
 */
export class SshRelayConnection extends SshLink<RelayError> {
  protected readonly lostPrefix = 'the relay connection was lost';
  private readonly routes = new Map<number, IncomingConnection>();
  private readonly windows = new WindowBudget(WINDOW_BUDGET);

  constructor(private readonly o: RelayConnectionOptions) {
    super({
      host: o.target.host,
      port: o.target.port,
      hostKeys: o.hostKeys,
      readyTimeoutMs: o.readyTimeoutMs,
      keepalive: { intervalMs: o.keepaliveIntervalMs ?? 10_000, maxMissed: o.keepaliveCountMax ?? 4 },
      // The round trip sizes the receive windows: known at once, not after the first interval.
      measureAtStart: true,
      onRtt: o.onRtt,
      onClose: (err) => o.onClose(err),
    });
    this.client.on('tcp connection', (info, accept, reject) => {
      const route = this.routes.get(info.destPort);
      // Tracked, so a lost link breaks the connections it carried with the reason.
      // The receive window follows the relay's distance: a far relay needs a wide one (upload
      // over a WAN is window-bound), a near one does not.
      if (route) route(info, () => this.channels.add(widenWindow(accept(), windowForRtt(this.lastRttMs), this.windows)), reject);
      else reject();
    });
  }

  async connect(): Promise<void> {
    const t = this.o.target;
    // RelayError has no separate hint: the provider shows one line, so the hint goes after it.
    const login = await loginConfig({ keyFile: t.keyFile, useAgent: t.useAgent, where: `the relay ${this.where}` }, (message, hint) => new RelayError('config', `${message}: ${hint[0].toLowerCase()}${hint.slice(1).replace(/\.$/, '')}`));
    await this.open({ ...login, username: t.user });
  }

  forwardIn(bindAddr: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      try {
        this.client.forwardIn(bindAddr, port, (err, bound) => (err ? reject(err) : resolve(bound)));
      } catch (err) {
        reject(err as Error);
      }
    });
  }

  unforwardIn(bindAddr: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      try {
        this.client.unforwardIn(bindAddr, port, (err) => (err ? reject(err) : resolve()));
      } catch (err) {
        reject(err as Error);
      }
    });
  }

  /** A command on the relay through a session channel of this connection (the UDP helper). */
  exec(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      try {
        // Tracked: a lost link breaks the channel with the reason, and the helper with it.
        this.client.exec(command, (err, ch) => (err ? reject(err) : resolve(this.channels.add(ch))));
      } catch (err) {
        reject(err as Error); // ssh2 throws when the connection went away meanwhile
      }
    });
  }

  /** Send connections arriving on the relay's `port` to `handler`; returns the undo. */
  route(port: number, handler: IncomingConnection): () => void {
    this.routes.set(port, handler);
    return () => {
      if (this.routes.get(port) === handler) this.routes.delete(port);
    };
  }

  protected override onClosed(): void {
    this.routes.clear();
  }

  protected failure(err: Error | undefined, wasReady: boolean): RelayError {
    // ssh2 only says "Host denied": the verdict we recorded says why.
    if (this.hostKey && this.hostKey.state !== 'trusted') return hostKeyError(this.where, this.hostKey);
    if (err) return classify(err, this.o.target, wasReady);
    return wasReady
      ? new RelayError('lost', `relay ${this.where} closed the connection`)
      : new RelayError('unreachable', `relay ${this.where} closed the connection during the SSH handshake`);
  }

  protected stoppedAnswering(missed: number, everyMs: number): RelayError {
    return new RelayError('lost', `relay ${this.where} stopped answering: ${missed} keepalives in a row without a reply (one every ${everyMs / 1000} s)`);
  }

  protected abandoned(): RelayError {
    return new RelayError('lost', 'connection abandoned before it started');
  }

  protected unusableKey(err: Error): RelayError {
    return new RelayError('config', `cannot use key file ${this.o.target.keyFile}: ${err.message}`);
  }
}
