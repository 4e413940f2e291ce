import { Client, type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { Keepalive } from '../border0/dataplane-keepalive';
import { destroySocket, globalRequest } from '../border0/dataplane-ssh2';
import type { HostKeyCheck, HostKeyStore } from '../providers/ssh/host-key-store';
import { classifyHostError, HostError, hostKeyError } from './host-errors';
import type { SshAddress } from './lab-host-config';
import { OpenChannels } from '../util/open-channels';
import { loginConfig } from './ssh-login';

export interface HostConnectionOptions {
  address: SshAddress;
  /** Private key file on this machine; read at each connect, never kept or logged. */
  keyFile?: string;
  useAgent: boolean;
  hostKeys: HostKeyStore;
  readyTimeoutMs?: number;
  keepalive?: { intervalMs: number; maxMissed: number };
  /** Round trip of each keepalive answered. */
  onRtt(ms: number): void;
  /** Called once when a connection that was ready ends, with the reason. */
  onClose(err: HostError): void;
}

/**
 * One SSH connection to a lab host, shared by everything that host needs: Docker's API
 * (a channel per HTTP connection), node ports (direct-tcpip) and topology files (SFTP). The
 * host key is checked against the store the relay uses; nothing unconfirmed is trusted.
 */
export class HostConnection {
  /** The host key the host presented, once it did. */
  hostKey?: HostKeyCheck;
  private readonly client = new Client();
  private readonly where: string;
  private keepalive?: Keepalive;
  private sftpSession?: Promise<SFTPWrapper>;
  private ready = false;
  /** Set when the keepalive gave up: the close that follows is explained by it. */
  private silent?: HostError;
  private started = false;
  private closed = false;
  /** Docker requests, node connections: broken with the reason if the connection is lost. */
  private readonly channels = new OpenChannels();

  constructor(private readonly o: HostConnectionOptions) {
    const a = o.address;
    this.where = `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
  }

  get isReady(): boolean {
    return this.ready && !this.closed;
  }

  async connect(): Promise<void> {
    const a = this.o.address;
    const config: ConnectConfig = {
      ...(await loginConfig({ keyFile: this.o.keyFile, useAgent: this.o.useAgent, where: this.where })),
      host: a.host,
      port: a.port,
      username: a.user,
      readyTimeout: this.o.readyTimeoutMs ?? 10_000,
      hostVerifier: (key: Buffer) => {
        this.hostKey = this.o.hostKeys.check(a.host, a.port, key);
        return this.hostKey.state === 'trusted';
      },
    };
    if (this.closed) throw new HostError('lost', 'connection abandoned before it started', '');
    this.started = true;
    await new Promise<void>((resolve, reject) => {
      let failure: Error | undefined;
      this.client.on('error', (err) => void (failure ??= err));
      this.client.once('ready', () => {
        this.ready = true;
        this.startKeepalive();
        resolve();
      });
      this.client.once('close', () => {
        this.closed = true;
        this.keepalive?.stop();
        const err = this.failure(failure);
        if (this.ready) {
          this.channels.breakAll(new Error(`the lab host connection was lost: ${err.message}`));
          this.o.onClose(err);
        } else reject(err);
      });
      try {
        this.client.connect(config);
      } catch (err) {
        // ssh2 parses the key synchronously: an encrypted or malformed key fails here.
        reject(new HostError('config', `cannot use key file ${this.o.keyFile}: ${(err as Error).message}`, 'Use an unencrypted key file, or the ssh-agent for a key with a passphrase.'));
        this.client.destroy();
      }
    });
  }

  /** A TCP connection from the host to `host:port` (SSH direct-tcpip): how node ports are reached. */
  forwardOut(host: string, port: number): Promise<ClientChannel> {
    return this.channel((cb) => this.client.forwardOut('127.0.0.1', 0, host, port, cb));
  }

  /** A connection to a unix socket on the host (OpenSSH direct-streamlocal). */
  streamLocal(socketPath: string): Promise<ClientChannel> {
    return this.channel((cb) => this.client.openssh_forwardOutStreamLocal(socketPath, cb));
  }

  exec(command: string): Promise<ClientChannel> {
    return this.channel((cb) => this.client.exec(command, cb));
  }

  /** One SFTP session per connection, opened on first use and again after it failed. */
  sftp(): Promise<SFTPWrapper> {
    if (!this.isReady) return Promise.reject(new Error(`not connected to ${this.where}`));
    this.sftpSession ??= new Promise<SFTPWrapper>((resolve, reject) => {
      this.client.sftp((err, s) => {
        if (err) return reject(err);
        s.once('close', () => (this.sftpSession = undefined));
        resolve(s);
      });
    }).catch((err: Error) => {
      this.sftpSession = undefined;
      throw new Error(`SFTP to ${this.where} failed: ${err.message} (is the sftp subsystem enabled in sshd_config?)`);
    });
    return this.sftpSession;
  }

  /** Says goodbye; a host that does not answer is cut off after `graceMs`. */
  end(graceMs = 2000): Promise<void> {
    this.ready = false; // a deliberate end is not a lost connection: no onClose
    this.keepalive?.stop();
    if (!this.started) this.closed = true;
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => destroySocket(this.client), graceMs);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
  }

  private channel(open: (cb: (err: Error | undefined, ch: ClientChannel) => void) => void): Promise<ClientChannel> {
    if (!this.isReady) return Promise.reject(new Error(`not connected to ${this.where}`));
    return new Promise((resolve, reject) => {
      try {
        open((err, ch) => (err ? reject(err) : resolve(this.channels.add(ch))));
      } catch (err) {
        reject(err as Error); // ssh2 throws when the connection went away meanwhile
      }
    });
  }

  /** Done by hand rather than with ssh2's keepaliveInterval so the round trip can be measured. */
  private startKeepalive(): void {
    const k = this.o.keepalive ?? { intervalMs: 10_000, maxMissed: 3 };
    const send = (answered: (ok: boolean) => void) => {
      try {
        return globalRequest(this.client, 'keepalive@openssh.com', answered);
      } catch {
        return false; // ssh2's internals changed shape: no latency, but a dead link still closes
      }
    };
    this.keepalive = new Keepalive({
      ...k,
      send,
      onRtt: (ms) => this.o.onRtt(ms),
      onDead: (missed) => {
        this.silent = new HostError('lost', `${this.where} stopped answering (${missed} keepalives unanswered)`, 'The host, its network or sshd may be down or frozen; retrying.');
        destroySocket(this.client);
      },
    });
    this.keepalive.start();
    // One right away, so the latency is known from the start rather than after an interval.
    const at = performance.now();
    send((ok) => ok && this.o.onRtt(Math.round((performance.now() - at) * 10) / 10));
  }

  private failure(err: Error | undefined): HostError {
    // ssh2 only says "Host denied": the verdict we recorded says why.
    if (this.hostKey && this.hostKey.state !== 'trusted') return hostKeyError(this.where, this.hostKey);
    if (this.silent) return this.silent;
    const a = this.o.address;
    if (err) return classifyHostError(err, this.where, a.user, this.o.useAgent, this.ready);
    return this.ready
      ? new HostError('lost', `${this.where} closed the SSH connection`, 'The host or its sshd restarted; retrying.')
      : new HostError('unreachable', `${this.where} closed the connection during the SSH handshake`, 'Check sshd on the host (its log tells why it hung up); retrying.');
  }
}
