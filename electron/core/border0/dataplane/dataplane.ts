/**
 * The border0 dataplane for one socket/tunnel: keeps one SSH connection to the tunnel server
 * up, with its remote forward, for as long as it is wanted. Each attempt gets a fresh
 * certificate (they are short-lived); lost connections are retried with exponential backoff;
 * a refused certificate or a wrong host key stop it with a reason, since retrying cannot help.
 */
import type { Duplex } from 'node:stream';
import type { Logger } from '../../logs/logger';
import type { ForwardStatus } from '../../providers/provider';
import { Backoff } from '../../util/backoff';
import { credentialsError, DataplaneError } from './dataplane-errors';
import type { SessionCredentials } from './dataplane-login';
import { DataplaneSession } from './dataplane-session';
import { parseProxyUrl } from '../../ssh/http-connect';

/** ForwardStatus, except that 'online' says which port the server bound: the caller knows the public address. */
export type DataplaneStatus = Exclude<ForwardStatus, { state: 'online' }> | { state: 'online'; boundPort: number };

export interface DataplaneOptions {
  tunnelServer: { host: string; port: number };
  /** The token's user_id without dashes. */
  username: string;
  /** Signs a fresh key: called before every connection attempt. */
  credentials: () => Promise<SessionCredentials>;
  /** The tunnel's `local_port`: remote bind port on `localhost` (0 lets the server choose). */
  localPort: number;
  /** `http://[user:pass@]host:port`; validated here, so a typo fails at once. */
  proxy?: string;
  log: Logger;
  onStatus(status: DataplaneStatus): void;
  /** A forwarded connection arrived; the caller owns the stream from here. */
  onConnection(stream: Duplex, from: string): void;
  /** Each answered keepalive, with its round trip (also kept in `lastKeepaliveRttMs`). */
  onKeepalive?(rttMs: number): void;
  keepaliveIntervalMs?: number;
  keepaliveMaxMissed?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** A connection that stayed up this long was healthy: the next retry starts small again. */
  healthyMs?: number;
  readyTimeoutMs?: number;
}

export class Border0Dataplane {
  /** Round trip of the last answered keepalive. */
  lastKeepaliveRttMs?: number;
  status?: DataplaneStatus;
  private readonly backoff: Backoff;
  private readonly where: string;
  private session?: DataplaneSession;
  private retryTimer?: NodeJS.Timeout;
  private connectedAt = 0;
  private started = false;
  private closed = false;
  private closing?: Promise<void>;

  constructor(private readonly o: DataplaneOptions) {
    this.backoff = new Backoff(o.backoff?.initialMs ?? 1000, o.backoff?.maxMs ?? 300_000);
    const via = o.proxy ? ` through proxy ${parseProxyUrl(o.proxy).display}` : '';
    this.where = `tunnel server ${o.tunnelServer.host}:${o.tunnelServer.port}${via}`;
  }

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.report({ state: 'connecting' });
    void this.attempt();
  }

  /** Cancels the forward, ends the connection, stops retrying; nothing keeps running after. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.closing = this.session?.close() ?? Promise.resolve();
      this.session = undefined;
    }
    return this.closing;
  }

  private async attempt(): Promise<void> {
    this.retryTimer = undefined;
    let session: DataplaneSession | undefined;
    try {
      this.o.log.debug(`connecting to ${this.where}`);
      const creds = await this.o.credentials().catch((err: Error) => Promise.reject(credentialsError(err)));
      if (this.closed) return;
      session = this.session = this.newSession(creds);
      const port = await session.open();
      if (this.closed) return;
      this.connectedAt = Date.now();
      this.o.log.info(`tunnel up: ${this.where} forwards its localhost:${port} to this tunnel`);
      this.report({ state: 'online', boundPort: port });
    } catch (err) {
      if (this.closed) return;
      await session?.close(); // whatever the failed attempt still holds
      if (this.session === session) this.session = undefined;
      if (this.closed) return;
      this.retryOrFail(err instanceof DataplaneError ? err : new DataplaneError('lost', (err as Error).message));
    }
  }

  private newSession(creds: SessionCredentials): DataplaneSession {
    const session: DataplaneSession = new DataplaneSession({
      server: this.o.tunnelServer,
      username: this.o.username,
      creds,
      localPort: this.o.localPort,
      proxy: this.o.proxy,
      log: this.o.log,
      keepaliveIntervalMs: this.o.keepaliveIntervalMs ?? 10_000,
      keepaliveMaxMissed: this.o.keepaliveMaxMissed ?? 4,
      readyTimeoutMs: this.o.readyTimeoutMs ?? 20_000,
      onConnection: (stream, from) => this.o.onConnection(stream, from),
      onRtt: (ms) => {
        this.lastKeepaliveRttMs = ms;
        this.o.onKeepalive?.(ms);
      },
      onLost: (err) => this.lost(session, err),
    });
    return session;
  }

  private lost(session: DataplaneSession, err: DataplaneError): void {
    if (this.closed || this.session !== session) return;
    this.session = undefined;
    if (Date.now() - this.connectedAt >= (this.o.healthyMs ?? 30_000)) this.backoff.reset();
    this.retryOrFail(err);
  }

  private retryOrFail(err: DataplaneError): void {
    if (!err.retryable) {
      this.o.log.error(err.message);
      this.report({ state: 'failed', reason: err.message });
      return;
    }
    const delay = this.backoff.next();
    const nextRetryAt = Date.now() + delay;
    this.o.log.warn(`${err.message}; retrying in ${Math.round(delay / 100) / 10} s`);
    this.report({ state: 'reconnecting', reason: err.message, nextRetryAt });
    this.retryTimer = setTimeout(() => void this.attempt(), delay);
  }

  private report(status: DataplaneStatus): void {
    this.status = status;
    try {
      this.o.onStatus(status);
    } catch (err) {
      this.o.log.error('status listener failed', { error: (err as Error).message });
    }
  }
}
