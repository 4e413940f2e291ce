import type { Border0Account } from '../account/border0-account';
import { Border0ApiError } from '../api/api-errors';
import type { Border0Policy, Border0Socket, Border0Tunnel } from '../api/api-types';
import { Border0Dataplane } from '../dataplane/dataplane';
import { generateKeyPair } from '../../ssh/keys';
import { decodeToken, sshUsername } from '../api/token';
import { AppError } from '../../../../shared/rpc-errors';
import type { Logger } from '../../logs/logger';
import { Backoff } from '../../util/backoff';
import type { Forward, ForwardHandlers, ForwardSpec } from '../../providers/provider';
import type { Border0SettingsStore } from '../border0-settings';
import { checkAttached, resolvePolicies } from './border0-policies';
import { createOwnSocket, unservable } from './socket-create';
import { hostOf, nameFor, socketFor, type Owner } from './socket-spec';

export interface Border0ForwardDeps {
  account: Border0Account;
  settings: Border0SettingsStore;
  log: Logger;
  /** Removes what this installation left at border0 for the lab earlier (once per lab). */
  cleanupLab(owner: Owner): Promise<void>;
}

/**
 * One publication at border0: its socket (policies attached once it exists) and tunnel
 * through the API, then the SSH dataplane. A passing failure (429, 5xx, network) is retried
 * from the step that failed, keeping the socket made so far; anything else deletes it again
 * and says why. Closing deletes the socket: only ever this installation's own.
 */
export class Border0Forward implements Forward {
  readonly name: string;
  private closed = false;
  private socket?: Border0Socket;
  private policiesAttached = false;
  private tunnel?: Border0Tunnel;
  private dataplane?: Border0Dataplane;
  private retry?: NodeJS.Timeout;
  private readonly backoff = new Backoff(2000, 300_000);
  private readonly owner: Owner;

  constructor(
    readonly spec: ForwardSpec,
    private readonly handlers: ForwardHandlers,
    private readonly deps: Border0ForwardDeps,
  ) {
    this.name = nameFor(spec);
    this.owner = { instance: deps.settings.instanceId(), host: hostOf(spec), lab: spec.lab };
  }

  async start(): Promise<void> {
    const { account } = this.deps;
    try {
      const user = decodeToken(account.requireToken()).user_id;
      if (!user) throw new AppError('refused', 'this border0 token has no user_id: the tunnel server needs a user login', 'log in with the browser under Accounts');
      this.handlers.onStatus({ state: 'connecting', reason: this.socket ? 'setting up the border0 socket' : 'creating the border0 socket' });
      await this.deps.cleanupLab(this.owner);
      const policies = this.spec.accessKind === 'policies' && this.spec.access.length ? await resolvePolicies(account.api, this.spec.access) : [];
      if (!this.socket) {
        this.socket = await createOwnSocket(account.api, socketFor(this.spec, this.owner.instance), this.owner, this.deps.log);
        this.deps.log.info(`socket ${this.socket.name} (${this.socket.socket_id}) created: ${this.socket.dnsname}`);
      }
      if (this.closed) return void (await this.deleteSocket());
      const refused = unservable(this.socket);
      if (refused) throw refused;
      await this.attach(policies);
      this.tunnel ??= await account.api.createTunnel(this.socket.socket_id);
      if (this.closed) return void (await this.deleteSocket());
      this.startDataplane(user, this.socket, this.tunnel);
    } catch (err) {
      this.onError(err);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.dataplane?.close();
    await this.deleteSocket();
  }

  private async attach(policies: Border0Policy[]): Promise<void> {
    if (!policies.length || this.policiesAttached) return;
    const socket = this.socket!;
    await this.deps.account.api.attachPolicies(socket.socket_id, policies.map((p) => p.id));
    const back = await this.deps.account.api.getSocket(socket.socket_id);
    checkAttached(back, policies);
    this.socket = back;
    this.policiesAttached = true;
    this.deps.log.info(`policies attached to ${socket.name}: ${policies.map((p) => p.name).join(', ')}`);
  }

  private startDataplane(user: string, socket: Border0Socket, tunnel: Border0Tunnel): void {
    const { account, settings, log } = this.deps;
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
        this.handlers.onStatus({ state: 'online', endpoint: { host: socket.dnsname || cfg.tunnelServer.host, port, dnsName: socket.dnsname || undefined, socketId: socket.socket_id } });
      },
    });
    this.dataplane.start();
  }

  private onError(err: unknown): void {
    if (this.closed) return void this.deleteSocket();
    const e = err as AppError;
    const api = err instanceof Border0ApiError ? err : undefined;
    if (api?.kind === 'unauthorized') this.deps.account.markRejected();
    // A socket that went away under us (deleted in the portal) is made again on the retry.
    const gone = api?.status === 404 && this.socket !== undefined;
    const retryable = gone || (api !== undefined && (api.kind === 'rate_limited' || api.kind === 'network' || api.kind === 'timeout' || api.status >= 500));
    const reason = `${e.message}${e.hint ? ` (${e.hint})` : ''}`;
    if (!retryable) {
      void this.deleteSocket();
      return this.handlers.onStatus({ state: 'failed', reason });
    }
    if (gone) this.forgetSocket();
    const wait = api?.kind === 'rate_limited' ? (api.retryAfterMs ?? this.backoff.next()) : this.backoff.next();
    const what = api?.kind === 'rate_limited' ? `border0 is rate limiting requests: backing off` : gone ? `socket ${this.name} is gone at border0: making it again` : reason;
    this.handlers.onStatus({ state: 'reconnecting', reason: what, nextRetryAt: Date.now() + wait });
    this.retry = setTimeout(() => void this.start(), wait);
  }

  private forgetSocket(): void {
    this.socket = undefined;
    this.tunnel = undefined;
    this.policiesAttached = false;
  }

  private async deleteSocket(): Promise<void> {
    const s = this.socket;
    this.forgetSocket();
    if (!s) return;
    try {
      await this.deps.account.api.deleteSocket(s.socket_id);
      this.deps.log.info(`socket ${s.name} (${s.socket_id}) deleted at border0`);
    } catch (err) {
      this.deps.log.warn(`socket ${s.name} stays at border0 for now (${(err as Error).message}); it is removed the next time lab ${this.spec.lab} is published`);
    }
  }
}
