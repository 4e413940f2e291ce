import type Dockerode from 'dockerode';
import type { Lab, LabHostStatus } from '../../../shared/model';
import type { LabSource } from '../labs/lab-source';
import type { DockerLabSource } from '../labs/docker-lab-source';
import type { HostFiles } from '../labs/host-files';
import type { Logger } from '../logs/logger';
import type { HostKeyStore } from '../ssh/host-key-store';
import { Backoff } from '../util/backoff';
import { createRemoteDockerSource } from './docker-over-ssh';
import { HostConnection } from './host-connection';
import { classifyHostError, type HostError } from './host-errors';
import { HostKeyPrompt } from './host-key-prompt';
import { formatSshUrl, parseSshUrl, type LabHostConfig, type SshAddress } from './lab-host-config';
import { createSftpFiles } from './sftp-files';
import { SshDialer } from './ssh-dialer';

export interface RemoteLabHostDeps {
  config: LabHostConfig;
  hostKeys: HostKeyStore;
  log: Logger;
  /** Reconnect backoff: 1 s doubling to 60 s unless a test wants it shorter. */
  retry?: { initialMs: number; maxMs: number };
  /** A connection that stayed up this long was healthy: the next loss retries from the start. */
  healthyMs?: number;
  keepalive?: { intervalMs: number; maxMissed: number };
  /** How often watched topology files are looked at (SFTP stat). */
  filePollMs?: number;
}

type Own = Pick<LabHostStatus, 'state' | 'error' | 'hint' | 'nextRetryAt'>;

/**
 * A lab host reached over SSH: one connection carries its Docker API (labs, live events and
 * port scans exactly as for local Docker, by the same DockerLabSource), its node ports
 * (direct-tcpip) and its topology files (SFTP). The connection is retried with backoff when
 * it fails; a host key nobody confirmed, or one that changed, stops it until the user acts.
 * Everything here is in the background: `labs()` and `status()` never wait for the network.
 */
export class RemoteLabHost implements LabSource {
  readonly hostId: string;
  readonly address: SshAddress;
  readonly dialer: SshDialer;
  readonly files: HostFiles;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly listeners = new Set<() => void>();
  private conn?: HostConnection;
  private source?: DockerLabSource;
  private own: Own = { state: 'connecting' };
  private latencyMs?: number;
  private readonly hostKey: HostKeyPrompt;
  private retryTimer?: NodeJS.Timeout;
  private connectedAt = 0;
  private disposed = false;

  constructor(private readonly deps: RemoteLabHostDeps) {
    this.hostId = deps.config.id;
    this.address = parseSshUrl(deps.config.url);
    this.log = deps.log;
    this.backoff = new Backoff(deps.retry?.initialMs ?? 1000, deps.retry?.maxMs ?? 60_000);
    this.hostKey = new HostKeyPrompt(deps.hostKeys, this.address, deps.config.label);
    this.dialer = new SshDialer(() => this.conn, () => `lab host ${this.deps.config.label} is not connected${this.own.error ? `: ${this.own.error}` : ''}`, `lab host ${this.deps.config.label}`);
    const sftp = () => (this.conn?.isReady ? this.conn.sftp() : Promise.reject(new Error(`lab host ${this.deps.config.label} is not connected`)));
    this.files = createSftpFiles({ id: this.hostId, sftp, pollMs: deps.filePollMs });
  }

  /** The host's Docker API over the current connection; undefined while it is not connected. */
  docker(): Dockerode | undefined {
    return this.conn?.isReady ? this.source?.docker : undefined;
  }

  get label(): string {
    return this.deps.config.label;
  }

  labs(): Lab[] {
    return this.source?.labs() ?? NO_LABS;
  }

  status(): LabHostStatus {
    const inner = this.conn?.isReady && this.source ? this.source.status() : undefined;
    const s: LabHostStatus = { id: this.hostId, label: this.label, kind: 'ssh', address: formatSshUrl(this.address), state: this.own.state, hostKey: this.hostKey.info() };
    const from: Own = inner ?? this.own;
    s.state = from.state;
    if (from.error) s.error = from.error;
    if (from.hint) s.hint = from.hint;
    if (from.nextRetryAt) s.nextRetryAt = from.nextRetryAt;
    if (this.conn?.isReady && this.latencyMs !== undefined) s.latencyMs = this.latencyMs;
    return s;
  }

  onChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Returns at once: the connection is made in the background and the status tells. */
  async start(): Promise<void> {
    void this.connect();
  }

  /** Confirms the host key the host presented (exactly that one); a changed key is refused. */
  async trustHostKey(fingerprint: string): Promise<void> {
    const key = this.hostKey.trust(fingerprint);
    this.log.info(`trusted host key ${key.fingerprint} of lab host ${this.label}`, { algorithm: key.algorithm });
    this.backoff.reset();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.connect();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    const conn = this.conn;
    this.conn = undefined;
    await this.dropSession();
    await conn?.end();
    this.listeners.clear();
  }

  private async connect(): Promise<void> {
    if (this.disposed || this.conn) return;
    const conn = new HostConnection({
      address: this.address,
      keyFile: this.deps.config.keyFile,
      useAgent: this.deps.config.useAgent,
      hostKeys: this.deps.hostKeys,
      keepalive: this.deps.keepalive,
      onRtt: (ms) => this.onRtt(conn, ms),
      onClose: (err) => void this.lost(conn, err),
    });
    this.conn = conn;
    this.setOwn({ ...this.own, state: 'connecting', nextRetryAt: undefined });
    try {
      await conn.connect();
    } catch (err) {
      if (this.conn !== conn) return;
      this.conn = undefined;
      const a = this.address;
      return this.failed(classifyHostError(err as Error, `${a.host}:${a.port}`, a.user, this.deps.config.useAgent, false));
    }
    if (this.conn !== conn || this.disposed) return void conn.end();
    this.connectedAt = Date.now();
    this.hostKey.record(undefined);
    this.log.info(`connected to lab host ${this.label} (${formatSshUrl(this.address)})`);
    const source = createRemoteDockerSource({ conn, hostId: this.hostId, label: this.label, address: this.address, log: this.log, retry: this.deps.retry });
    source.onChanged(() => this.changed());
    this.source = source;
    this.setOwn({ state: 'connecting' });
    await source.start();
  }

  /** A ready connection ended on its own: labs go, tunnels wait, and we retry. */
  private async lost(conn: HostConnection, err: HostError): Promise<void> {
    if (this.conn !== conn) return;
    this.conn = undefined;
    if (Date.now() - this.connectedAt >= (this.deps.healthyMs ?? 30_000)) this.backoff.reset();
    await this.dropSession();
    this.failed(err);
  }

  private failed(err: HostError): void {
    if (this.disposed) return;
    if (err.hostKey) this.hostKey.record(err.hostKey);
    if (!err.retryable) {
      // An unknown key is a question for the user; a changed key or a broken set-up is an error.
      this.log.log(err.hostKey?.state === 'unknown' ? 'warn' : 'error', `lab host ${this.label}: ${err.message}`);
      return this.setOwn({ state: 'unreachable', error: err.message, hint: err.hint });
    }
    const delay = this.backoff.next();
    this.log.warn(`lab host ${this.label}: ${err.message}; retrying in ${Math.round(delay / 100) / 10} s`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.setOwn({ state: 'unreachable', error: err.message, hint: err.hint, nextRetryAt: Date.now() + delay });
  }

  private async dropSession(): Promise<void> {
    const source = this.source;
    this.source = undefined;
    this.latencyMs = undefined;
    await source?.dispose();
  }

  private onRtt(conn: HostConnection, ms: number): void {
    if (this.conn !== conn) return;
    const rounded = Math.round(ms);
    if (rounded === this.latencyMs) return;
    this.latencyMs = rounded;
    this.changed();
  }

  private setOwn(s: Own): void {
    this.own = s;
    this.changed();
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

const NO_LABS: Lab[] = [];
