import type { Border0Account } from '../account/border0-account';
import { Border0ApiError } from '../api/api-errors';
import type { Border0Socket } from '../api/api-types';
import { Border0Dataplane } from '../dataplane/dataplane';
import { generateKeyPair } from '../../ssh/keys';
import { decodeToken, sshUsername } from '../api/token';
import { AppError } from '../../../../shared/rpc-errors';
import type { Logger } from '../../logs/logger';
import { Backoff } from '../../util/backoff';
import type { Forward, ForwardHandlers, ForwardSpec } from '../../providers/provider';
import type { Border0SettingsStore } from '../border0-settings';
import { socketFor } from './socket-spec';

export interface Border0ForwardDeps {
  account: Border0Account;
  settings: Border0SettingsStore;
  log: Logger;
  /** Removes what this app left at border0 for the lab earlier (once per lab). */
  cleanupLab(lab: string): Promise<void>;
}

/**
 * One publication at border0: its socket and tunnel through the API, then the SSH dataplane.
 * Closing deletes the socket again: only ever this app's own.
 */
export class Border0Forward implements Forward {
  private closed = false;
  private socket?: Border0Socket;
  private dataplane?: Border0Dataplane;
  private retry?: NodeJS.Timeout;
  private readonly backoff = new Backoff(2000, 300_000);

  constructor(
    readonly spec: ForwardSpec,
    private readonly handlers: ForwardHandlers,
    private readonly deps: Border0ForwardDeps,
  ) {}

  async start(): Promise<void> {
    const { account, settings, log } = this.deps;
    const api = account.api;
    try {
      const token = account.requireToken();
      const user = decodeToken(token).user_id;
      if (!user) throw new AppError('refused', 'this border0 token has no user_id: the tunnel server needs a user login', 'log in with the browser under Accounts');
      this.handlers.onStatus({ state: 'connecting', reason: 'creating the border0 socket' });
      await this.deps.cleanupLab(this.spec.lab);
      const policies = this.spec.accessKind === 'policies' && this.spec.access.length ? await api.listPolicies() : undefined;
      const socket = await api.createSocket(socketFor(this.spec, policies));
      this.socket = socket;
      const tunnel = await api.createTunnel(socket.socket_id);
      if (this.closed) return void (await this.deleteSocket());
      log.info(`socket ${socket.name} (${socket.socket_id}) created: ${socket.dnsname ?? ''}`);
      const cfg = settings.config();
      this.dataplane = new Border0Dataplane({
        tunnelServer: cfg.tunnelServer,
        username: sshUsername(user),
        localPort: tunnel.local_port ?? 0,
        proxy: settings.proxy(),
        log,
        credentials: async () => {
          const keys = generateKeyPair(`clab-publisher ${socket.name}`);
          try {
            const signed = await account.api.signKey(socket.socket_id, keys.publicKey);
            return { privateKey: keys.privateKey, certificate: signed.signed_ssh_cert, hostKey: signed.host_key };
          } catch (err) {
            // A rejected token cannot get better by retrying: stop and ask for a login.
            if (err instanceof Border0ApiError && err.kind === 'unauthorized') {
              account.markRejected();
              Object.assign(err, { retryable: false });
            }
            throw err;
          }
        },
        onConnection: (s, from) => this.handlers.onConnection(s, from),
        onKeepalive: (rttMs) => this.handlers.onHealth?.({ rttMs }),
        onStatus: (s) => {
          if (s.state !== 'online') return this.handlers.onStatus(s);
          const port = socket.socket_tcp_ports?.[0] ?? s.boundPort;
          this.handlers.onStatus({ state: 'online', endpoint: { host: socket.dnsname || cfg.tunnelServer.host, port, dnsName: socket.dnsname ?? undefined, socketId: socket.socket_id } });
        },
      });
      this.dataplane.start();
    } catch (err) {
      await this.deleteSocket();
      this.onError(err);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.dataplane?.close();
    await this.deleteSocket();
  }

  private onError(err: unknown): void {
    if (this.closed) return;
    const e = err as AppError;
    if (err instanceof Border0ApiError && err.kind === 'unauthorized') this.deps.account.markRejected();
    const retryable = err instanceof Border0ApiError && (err.kind === 'rate_limited' || err.kind === 'network' || err.kind === 'timeout' || (err.status ?? 0) >= 500);
    const reason = `${e.message}${e.hint ? ` (${e.hint})` : ''}`;
    if (!retryable) return this.handlers.onStatus({ state: 'failed', reason });
    const wait = err.kind === 'rate_limited' ? (err.retryAfterMs ?? this.backoff.next()) : this.backoff.next();
    const what = err.kind === 'rate_limited' ? `border0 is rate limiting requests: backing off` : reason;
    this.handlers.onStatus({ state: 'reconnecting', reason: what, nextRetryAt: Date.now() + wait });
    this.retry = setTimeout(() => void this.start(), wait);
  }

  private async deleteSocket(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (!s) return;
    try {
      await this.deps.account.api.deleteSocket(s.socket_id);
      this.deps.log.info(`socket ${s.name} (${s.socket_id}) deleted at border0`);
    } catch (err) {
      this.deps.log.warn(`socket ${s.name} stays at border0 for now (${(err as Error).message}); it is removed the next time lab ${this.spec.lab} is published`);
    }
  }
}
