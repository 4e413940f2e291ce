import type { HostKeyInfo, ProviderConnectionState, ProviderInfo } from '../../../../shared/model';
import { PROVIDER_CAPABILITIES } from '../../../../shared/provider-capabilities';
import { AppError } from '../../../../shared/rpc-errors';
import type { Logger } from '../../logs/logger';
import type { SettingsStore } from '../../settings/settings-store';
import { Backoff } from '../../util/backoff';
import { Emitter } from '../../util/emitter';
import { DEFAULT_UDP_IDLE_SECONDS, type Forward, type ForwardHandlers, type ForwardSpec, type TunnelProvider } from '../provider';
import { HostKeyStore, type HostKeyCheck } from '../../ssh/host-key-store';
import { classify, type RelayError } from './relay-errors';
import { RelayDatagramForward } from './relay-datagram-forward';
import { RelayForward } from './ssh-forward';
import type { RelayPublication } from './relay-publication';
import { SshRelayConnection } from './ssh-relay-connection';
import { isConfigured, loadSshSettings, normalizeSshSettings, NOT_CONFIGURED, publicSshSettings, SSH_SETTINGS_KEY, type SshSettings } from './ssh-settings';

export interface SshProviderDeps {
  settings: SettingsStore;
  log: Logger;
  /** Retry delays; production uses 1 s doubling up to 5 min. Tests shorten them. */
  backoff?: { initialMs: number; maxMs: number };
  /** A connection that stayed up this long was healthy: the next retry starts from 1 s again. */
  healthyMs?: number;
  readyTimeoutMs?: number;
  /** Keepalive (and round-trip measurement) interval; production 10 s, tests shorten it. */
  keepaliveIntervalMs?: number;
}

/**
 * A relay the user controls (OpenSSH with remote forwarding): one SSH connection shared by
 * every publication, opened with the first forward and closed with the last, one
 * `tcpip-forward` per publication. A lost relay is retried with backoff; a host key the user
 * has not confirmed (or one that changed) stops everything until the user decides.
 */
export class SshProvider implements TunnelProvider {
  readonly id = 'ssh';
  private settings: SshSettings;
  private readonly hostKeys: HostKeyStore;
  private readonly backoff: Backoff;
  private readonly forwards = new Set<RelayPublication>();
  private readonly events = new Emitter<{ changed: undefined }>();
  private readonly ending = new Set<Promise<void>>();
  private conn?: SshRelayConnection;
  private connectedAt = 0;
  private state: ProviderConnectionState = 'idle';
  private error?: string;
  private nextRetryAt?: number;
  private retryTimer?: NodeJS.Timeout;
  /** Waiting for the user (host key, key file): no retry loop until they act. */
  private blocked = false;
  /** The key the relay presented when it was not the trusted one. */
  private presented?: HostKeyCheck;
  private lastInfo = '';
  private disposed = false;
  private readonly log: Logger;

  constructor(private readonly deps: SshProviderDeps) {
    this.log = deps.log.child('ssh');
    this.settings = loadSshSettings(deps.settings);
    this.hostKeys = new HostKeyStore(deps.settings);
    this.backoff = new Backoff(deps.backoff?.initialMs ?? 1000, deps.backoff?.maxMs ?? 300_000);
  }

  info(): ProviderInfo {
    const connection: ProviderInfo['connection'] = { state: this.state };
    if (this.error) connection.error = this.error;
    if (this.nextRetryAt) connection.nextRetryAt = this.nextRetryAt;
    return {
      id: this.id,
      kind: 'ssh',
      label: 'SSH relay',
      configured: isConfigured(this.settings),
      capabilities: PROVIDER_CAPABILITIES.ssh,
      settings: publicSshSettings(this.settings),
      connection,
      hostKey: this.hostKeyInfo(),
    };
  }

  onChanged(listener: () => void): () => void {
    return this.events.on('changed', listener);
  }

  async start(): Promise<void> {
    this.settings = loadSshSettings(this.deps.settings);
    this.changed();
  }

  open(spec: ForwardSpec, handlers: ForwardHandlers): Forward {
    const log = this.deps.log.child('ssh', spec.tunnelId);
    // UDP: OpenSSH forwards none, so a helper on the relay carries it over an exec channel.
    const fwd: RelayPublication = spec.type === 'udp' ? new RelayDatagramForward(spec, handlers, log, this.udpIdleSeconds) : new RelayForward(spec, handlers, log);
    this.forwards.add(fwd);
    if (!isConfigured(this.settings)) fwd.report({ state: 'failed', reason: NOT_CONFIGURED });
    else if (this.blocked) fwd.report({ state: 'failed', reason: this.error ?? NOT_CONFIGURED });
    else if (this.retryTimer) fwd.report({ state: 'reconnecting', reason: this.error ?? 'waiting for the relay', nextRetryAt: this.nextRetryAt });
    else {
      fwd.report({ state: 'connecting' });
      if (this.conn?.isReady) void this.request(fwd, this.conn);
      else if (!this.conn) void this.connect();
    }
    return { close: () => this.closeForward(fwd), ...(spec.type === 'udp' ? { peerIdleMs: this.udpIdleSeconds * 1000 } : {}) };
  }

  private get udpIdleSeconds(): number {
    return this.settings.udpIdleSeconds ?? DEFAULT_UDP_IDLE_SECONDS;
  }

  async configure(raw: Record<string, unknown>): Promise<void> {
    const next = normalizeSshSettings(raw);
    const moved = next.host !== this.settings.host || next.port !== this.settings.port;
    this.deps.settings.set(SSH_SETTINGS_KEY, next); // throws ("disk full: ...") with nothing changed
    this.settings = next;
    this.log.info('SSH relay settings changed', { host: next.host, port: next.port, user: next.user, useAgent: next.useAgent });
    if (moved) {
      this.presented = undefined;
      for (const f of this.forwards) f.bound = undefined; // another relay: its old ports mean nothing
    }
    this.restart();
  }

  async trustHostKey(fingerprint: string): Promise<void> {
    const p = this.presented;
    if (!p || p.state === 'trusted') throw new AppError('invalid_params', 'no relay host key is waiting for confirmation', 'connect to the relay first: publish a port through it', 'fingerprint');
    if (p.state === 'mismatch') {
      throw new AppError('invalid_params', `another key (${p.trustedFingerprint}) is trusted for this relay`, 'forget the stored host key first, then trust the new one', 'fingerprint');
    }
    if (fingerprint.trim() !== p.fingerprint) {
      throw new AppError('invalid_params', `fingerprint ${fingerprint} is not the one the relay presented (${p.fingerprint})`, undefined, 'fingerprint');
    }
    this.hostKeys.trust(this.settings.host, this.settings.port, { algorithm: p.algorithm, fingerprint: p.fingerprint });
    this.presented = undefined;
    this.log.info(`trusted host key ${p.fingerprint} of relay ${this.where()}`, { algorithm: p.algorithm });
    this.restart();
  }

  async forgetHostKey(): Promise<void> {
    this.hostKeys.forget(this.settings.host, this.settings.port);
    // The key the relay showed is now simply unknown: the user can confirm it right away.
    if (this.presented?.state === 'mismatch') this.presented = { state: 'unknown', algorithm: this.presented.algorithm, fingerprint: this.presented.fingerprint };
    this.log.info(`forgot the stored host key of relay ${this.where()}`);
    this.restart();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const f of this.forwards) await f.close(this.settings.bindAddress, false);
    this.forwards.clear();
    this.stopConnection();
    await Promise.all(this.ending);
    this.setState('idle');
    this.events.clear();
  }

  /** Opens the shared connection and, once ready, asks for every forward. */
  private async connect(): Promise<void> {
    if (this.disposed || this.conn || !this.forwards.size || !isConfigured(this.settings)) return;
    const s = this.settings;
    const conn: SshRelayConnection = new SshRelayConnection({
      target: { host: s.host, port: s.port, user: s.user, keyFile: s.keyFile, useAgent: s.useAgent },
      hostKeys: this.hostKeys,
      readyTimeoutMs: this.deps.readyTimeoutMs,
      keepaliveIntervalMs: this.deps.keepaliveIntervalMs,
      onClose: (err) => this.lost(conn, err),
      // One relay link carries every forward: its round trip is each tunnel's.
      onRtt: (ms) => this.forwards.forEach((f) => f.reportRtt(conn, ms)),
    });
    this.conn = conn;
    this.nextRetryAt = undefined;
    this.setState(this.state === 'reconnecting' ? 'reconnecting' : 'connecting', this.error);
    try {
      await conn.connect();
    } catch (err) {
      if (this.conn !== conn) return;
      this.conn = undefined;
      return this.failed(classify(err as Error, s, false));
    }
    if (this.conn !== conn) return this.end(conn);
    this.connectedAt = Date.now();
    this.presented = undefined;
    this.log.info(`connected to relay ${this.where()} as ${s.user}`);
    this.setState('connected');
    for (const f of this.forwards) void this.request(f, conn);
  }

  private request(f: RelayPublication, conn: SshRelayConnection): Promise<void> {
    return f.request(conn, this.settings.bindAddress, this.settings.publicHost || this.settings.host, () => this.conn === conn && conn.isReady);
  }

  /** A ready connection ended on its own: every forward waits for the next one. */
  private lost(conn: SshRelayConnection, err: RelayError): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    if (Date.now() - this.connectedAt >= (this.deps.healthyMs ?? 30_000)) this.backoff.reset();
    for (const f of this.forwards) f.detach();
    this.failed(err);
  }

  private failed(err: RelayError): void {
    if (err.kind === 'host-key') this.presented = err.hostKey;
    if (!err.retryable) {
      this.blocked = true;
      // An unknown key is a question for the user; a changed key or a broken set-up is an error.
      this.log.log(err.hostKey?.state === 'unknown' ? 'warn' : 'error', err.message);
      this.setState('failed', err.message);
      for (const f of this.forwards) f.report({ state: 'failed', reason: err.message });
      return;
    }
    const delay = this.backoff.next();
    this.nextRetryAt = Date.now() + delay;
    this.log.warn(`${err.message}; retrying in ${Math.round(delay / 100) / 10} s`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.setState('reconnecting', err.message);
    for (const f of this.forwards) f.report({ state: 'reconnecting', reason: err.message, nextRetryAt: this.nextRetryAt });
  }

  /** New settings or a newly trusted key: drop what runs and connect again right away. */
  private restart(): void {
    this.stopConnection();
    this.backoff.reset();
    if (!this.forwards.size) return this.setState('idle');
    if (!isConfigured(this.settings)) {
      this.setState('idle');
      for (const f of this.forwards) f.report({ state: 'failed', reason: NOT_CONFIGURED });
      return;
    }
    for (const f of this.forwards) f.report({ state: 'connecting' });
    void this.connect();
  }

  private async closeForward(f: RelayPublication): Promise<void> {
    if (f.closed) return;
    this.forwards.delete(f);
    // Cancelled even when the connection is about to end: close() promises the port is free
    // when it returns, and ending the connection alone does not wait for the relay.
    await f.close(this.settings.bindAddress, true);
    if (this.forwards.size === 0) {
      this.stopConnection();
      this.setState('idle');
    }
  }

  private stopConnection(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.nextRetryAt = undefined;
    this.blocked = false;
    // Quietly: the caller reports the state that follows (idle, or connecting afresh).
    this.state = 'idle';
    this.error = undefined;
    const conn = this.conn;
    this.conn = undefined;
    for (const f of this.forwards) f.detach();
    if (conn) this.end(conn);
  }

  private end(conn: SshRelayConnection): void {
    const p = conn.end().finally(() => this.ending.delete(p));
    this.ending.add(p);
  }

  private setState(state: ProviderConnectionState, error?: string): void {
    this.state = state;
    this.error = error;
    if (state !== 'reconnecting') this.nextRetryAt = undefined;
    this.changed();
  }

  private changed(): void {
    const now = JSON.stringify(this.info());
    if (now === this.lastInfo) return;
    this.lastInfo = now;
    this.events.emit('changed', undefined);
  }

  private hostKeyInfo(): HostKeyInfo {
    const p = this.presented;
    if (p && p.state !== 'trusted') {
      return p.state === 'mismatch'
        ? { state: 'mismatch', algorithm: p.algorithm, fingerprint: p.fingerprint, trustedFingerprint: p.trustedFingerprint }
        : { state: 'unknown', algorithm: p.algorithm, fingerprint: p.fingerprint };
    }
    const known = isConfigured(this.settings) ? this.hostKeys.get(this.settings.host, this.settings.port) : undefined;
    return known ? { state: 'trusted', algorithm: known.algorithm, fingerprint: known.fingerprint } : { state: 'none' };
  }

  private where(): string {
    return `${this.settings.host}:${this.settings.port}`;
  }
}
