/**
 * One SSH connection to the tunnel server, from dial to end: (proxy) → pinned host key →
 * certificate login → remote forward → log session → keepalive. It never reconnects; the
 * dataplane makes a new one for every attempt.
 */
import type { Duplex } from 'node:stream';
import { Client, type ClientChannel } from 'ssh2';
import type { Logger } from '../../logs/logger';
import { classify, DataplaneError, type FailureContext } from './dataplane-errors';
import { Keepalive } from '../../ssh/keepalive';
import { openLogSession } from './dataplane-log-session';
import { login, type SessionCredentials } from './dataplane-login';
import { destroySocket, globalRequest } from '../../ssh/ssh2-internals';

export interface SessionOptions {
  server: { host: string; port: number };
  username: string;
  creds: SessionCredentials;
  localPort: number;
  proxy?: string;
  log: Logger;
  keepaliveIntervalMs: number;
  keepaliveMaxMissed: number;
  readyTimeoutMs: number;
  onConnection(stream: Duplex, from: string): void;
  onRtt(ms: number): void;
  /** The connection ended on its own after it was up (never after `close()`). */
  onLost(err: DataplaneError): void;
}

export const BIND_ADDRESS = 'localhost';

export class DataplaneSession {
  private readonly client = new Client();
  private readonly abort = new AbortController();
  private readonly ctx: FailureContext;
  private readonly closed: Promise<void>;
  private keepalive?: Keepalive;
  private shell?: ClientChannel;
  private failure?: Error;
  private boundPort?: number;
  private started = false;
  private closing = false;
  private closingDone?: Promise<void>;
  private ended = false;
  private online = false;
  private cutOff?: NodeJS.Timeout;

  constructor(private readonly o: SessionOptions) {
    this.ctx = { server: `${o.server.host}:${o.server.port}`, username: o.username, ready: false };
    this.client.on('error', (err) => void (this.failure ??= err));
    this.closed = new Promise((resolve) => this.client.once('close', resolve));
    this.client.on('tcp connection', (info, accept) => {
      const stream = accept();
      this.o.onConnection(stream, `${info.srcIP.includes(':') ? `[${info.srcIP}]` : info.srcIP}:${info.srcPort}`);
    });
  }

  /** Resolves with the port the server bound; rejects with a DataplaneError. */
  async open(): Promise<number> {
    await login(this.client, { ...this.o, signal: this.abort.signal, onDial: () => (this.started = true) }, this.ctx);
    this.client.once('close', () => this.onClose());
    this.o.log.info(`logged in to tunnel server ${this.ctx.server} as ${this.o.username}${this.o.proxy ? ' through the proxy' : ''}`);
    // Lost between login and here: say why the connection went, not what was pending on it.
    const whyEnded = (err?: unknown) => (this.ended && !this.closing ? this.lostError() : err);
    try {
      this.boundPort = await this.forward();
      this.shell = await openLogSession(this.client, this.o.log, () => this.sessionEnded());
    } catch (err) {
      throw whyEnded(err);
    }
    if (this.ended) throw whyEnded(new DataplaneError('lost', 'closed while connecting'));
    this.online = true;
    this.startKeepalive();
    return this.boundPort;
  }

  /** Cancels the forward and ends the connection; a server that does not answer is cut off. */
  close(graceMs = 1000): Promise<void> {
    return (this.closingDone ??= this.shutdown(graceMs));
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.closing = true;
    this.keepalive?.stop();
    this.abort.abort();
    if (!this.started || this.ended) return;
    if (this.ctx.ready && this.boundPort !== undefined) {
      const cancelled = new Promise<void>((resolve) => {
        try {
          this.client.unforwardIn(BIND_ADDRESS, this.boundPort!, () => resolve());
        } catch {
          resolve(); // already disconnected
        }
      });
      await raceTimeout(cancelled, graceMs);
    }
    this.shell?.close();
    this.client.end();
    if (!(await raceTimeout(this.closed, graceMs))) destroySocket(this.client);
    await this.closed;
  }

  private forward(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.client.forwardIn(BIND_ADDRESS, this.o.localPort, (err, port) => {
        if (!err) return resolve(port);
        const what = this.o.localPort ? `port ${this.o.localPort}` : 'a port';
        reject(new DataplaneError('forward', `tunnel server ${this.ctx.server} refused to forward ${what} on ${BIND_ADDRESS} (tcpip-forward)`));
      });
    });
  }

  private startKeepalive(): void {
    const every = this.o.keepaliveIntervalMs;
    this.keepalive = new Keepalive({
      intervalMs: every,
      maxMissed: this.o.keepaliveMaxMissed,
      send: (answered) => globalRequest(this.client, 'keepalive@border0.com', answered),
      onRtt: (ms) => this.o.onRtt(ms),
      onDead: (missed) => {
        this.failure = new DataplaneError('keepalive', `tunnel server ${this.ctx.server} stopped answering: ${missed} keepalives in a row without a reply (one every ${every / 1000} s)`);
        // A frozen server never finishes a polite goodbye: cut the TCP connection.
        destroySocket(this.client);
      },
    });
    this.keepalive.start();
  }

  /**
   * The server ended the session channel: the border0 CLI takes that as the end of the whole
   * connection, so do the same. The dataplane reconnects (with a fresh certificate).
   */
  private sessionEnded(): void {
    if (this.closing || this.ended) return;
    this.failure ??= new DataplaneError('lost', `tunnel server ${this.ctx.server} ended the session`);
    this.keepalive?.stop();
    this.client.end();
    // A server that ended the session but keeps the connection open is cut off.
    this.cutOff = setTimeout(() => destroySocket(this.client), 1000);
  }

  private onClose(): void {
    this.ended = true;
    clearTimeout(this.cutOff);
    this.keepalive?.stop();
    if (this.closing || !this.online) return; // close() was asked for, or open() reports it
    this.o.onLost(this.lostError());
  }

  private lostError(): DataplaneError {
    return this.failure ? classify(this.failure, this.ctx) : new DataplaneError('lost', `tunnel server ${this.ctx.server} closed the connection`);
  }
}

/** True when `p` settled within `ms`; the timer never outlives the race. */
async function raceTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
