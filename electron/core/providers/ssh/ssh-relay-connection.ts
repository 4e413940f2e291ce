import fs from 'node:fs/promises';
import os from 'node:os';
import { Client, type ClientChannel, type ConnectConfig, type TcpConnectionDetails } from 'ssh2';
import { Keepalive } from '../../border0/dataplane-keepalive';
import { destroySocket, globalRequest } from '../../border0/dataplane-ssh2';
import type { HostKeyCheck, HostKeyStore } from './host-key-store';
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

export type IncomingConnection = (info: TcpConnectionDetails, accept: () => ClientChannel, reject: () => void) => void;

/**
 * One ssh2 client to the relay: verifies the host key against the store, authenticates,
 * and hands each forwarded connection to whoever registered the port it arrived on.
 */
export class SshRelayConnection {
  /** The host key the relay presented, once it did. */
  hostKey?: HostKeyCheck;
  /** Round trip of the last answered keepalive. */
  lastRttMs?: number;
  private readonly client = new Client();
  private keepalive?: Keepalive;
  /** Set when keepalives went unanswered: why the connection was cut. */
  private dead?: RelayError;
  private readonly routes = new Map<number, IncomingConnection>();
  private ready = false;
  private started = false;
  private closed = false;

  constructor(private readonly o: RelayConnectionOptions) {
    this.client.on('tcp connection', (info, accept, reject) => {
      const route = this.routes.get(info.destPort);
      if (route) route(info, accept, reject);
      else reject();
    });
  }

  async connect(): Promise<void> {
    const t = this.o.target;
    const config: ConnectConfig = {
      host: t.host,
      port: t.port,
      username: t.user,
      readyTimeout: this.o.readyTimeoutMs ?? 10_000,
      // Our own keepalive (startKeepalive) replaces ssh2's, which cannot time the replies.
      keepaliveInterval: 0,
      hostVerifier: (key: Buffer) => {
        this.hostKey = this.o.hostKeys.check(t.host, t.port, key);
        return this.hostKey.state === 'trusted';
      },
    };
    if (t.useAgent) {
      if (!process.env.SSH_AUTH_SOCK) throw new RelayError('config', 'useAgent is on, but SSH_AUTH_SOCK is not set for clab-publisher: start it from a shell with a running ssh-agent, or set keyFile');
      config.agent = process.env.SSH_AUTH_SOCK;
    }
    if (t.keyFile) config.privateKey = await readKey(t.keyFile);
    if (!config.agent && !config.privateKey) throw new RelayError('config', 'no key to log in to the relay with: set keyFile, or turn on useAgent');
    if (this.closed) throw new RelayError('lost', 'connection abandoned before it started');
    this.started = true;

    await new Promise<void>((resolve, reject) => {
      let failure: Error | undefined;
      this.client.on('error', (err) => {
        failure ??= err;
      });
      this.client.once('ready', () => {
        this.ready = true;
        this.startKeepalive();
        resolve();
      });
      this.client.once('close', () => {
        this.closed = true;
        this.keepalive?.stop();
        const err = this.failure(failure);
        this.routes.clear();
        if (this.ready) this.o.onClose(err);
        else reject(err);
      });
      try {
        this.client.connect(config);
      } catch (err) {
        // ssh2 parses the key synchronously: an encrypted or malformed key fails here.
        reject(new RelayError('config', `cannot use key file ${t.keyFile}: ${(err as Error).message}`));
        this.client.destroy();
      }
    });
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

  /** Send connections arriving on the relay's `port` to `handler`; returns the undo. */
  route(port: number, handler: IncomingConnection): () => void {
    this.routes.set(port, handler);
    return () => {
      if (this.routes.get(port) === handler) this.routes.delete(port);
    };
  }

  get isReady(): boolean {
    return this.ready && !this.closed;
  }

  /** Says goodbye to the relay; a relay that does not answer is cut off after `graceMs`. */
  end(graceMs = 2000): Promise<void> {
    this.ready = false; // a deliberate end is not a lost connection: no onClose
    this.keepalive?.stop();
    if (!this.started) this.closed = true;
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      // ssh2's destroy() skips a socket that is already half-closed, so reach the socket itself.
      const timer = setTimeout(() => (this.client as unknown as { _sock?: { destroy(): void } })._sock?.destroy(), graceMs);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
  }

  /**
   * `keepalive@openssh.com` with want-reply every interval, as ssh2's own keepalive sends,
   * but timed: the round trip is the relay link's health. Unanswered `keepaliveCountMax`
   * times in a row, the link is dead even if TCP has not noticed: cut it.
   */
  private startKeepalive(): void {
    const every = this.o.keepaliveIntervalMs ?? 10_000;
    this.keepalive = new Keepalive({
      intervalMs: every,
      maxMissed: this.o.keepaliveCountMax ?? 4,
      send: (answered) => globalRequest(this.client, 'keepalive@openssh.com', answered),
      onRtt: (ms) => {
        this.lastRttMs = ms;
        this.o.onRtt?.(ms);
      },
      onDead: (missed) => {
        this.dead = new RelayError('lost', `relay ${this.o.target.host}:${this.o.target.port} stopped answering: ${missed} keepalives in a row without a reply (one every ${every / 1000} s)`);
        destroySocket(this.client);
      },
    });
    this.keepalive.start();
  }

  private failure(err: Error | undefined): RelayError {
    if (this.dead) return this.dead;
    const where = `${this.o.target.host}:${this.o.target.port}`;
    // ssh2 only says "Host denied": the verdict we recorded says why.
    if (this.hostKey && this.hostKey.state !== 'trusted') return hostKeyError(where, this.hostKey);
    if (err) return classify(err, this.o.target, this.ready);
    return this.ready
      ? new RelayError('lost', `relay ${where} closed the connection`)
      : new RelayError('unreachable', `relay ${where} closed the connection during the SSH handshake`);
  }
}

async function readKey(file: string): Promise<Buffer> {
  const resolved = file.startsWith('~/') ? `${os.homedir()}${file.slice(1)}` : file;
  try {
    return await fs.readFile(resolved);
  } catch (err) {
    throw new RelayError('config', `cannot read key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
