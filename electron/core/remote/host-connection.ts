import type { ClientChannel, SFTPWrapper } from 'ssh2';
import type { HostKeyStore } from '../ssh/host-key-store';
import { SshLink } from '../ssh/ssh-link';
import { classifyHostError, HostError, hostKeyError } from './host-errors';
import type { SshAddress } from './lab-host-config';
import { loginConfig } from '../ssh/ssh-login';

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
export class HostConnection extends SshLink<HostError> {
  protected readonly lostPrefix = 'the lab host connection was lost';
  private sftpSession?: Promise<SFTPWrapper>;

  constructor(private readonly o: HostConnectionOptions) {
    super({
      host: o.address.host,
      port: o.address.port,
      hostKeys: o.hostKeys,
      readyTimeoutMs: o.readyTimeoutMs,
      keepalive: o.keepalive ?? { intervalMs: 10_000, maxMissed: 3 },
      measureAtStart: true,
      onRtt: (ms) => o.onRtt(ms),
      onClose: (err) => o.onClose(err),
    });
  }

  async connect(): Promise<void> {
    const login = await loginConfig({ keyFile: this.o.keyFile, useAgent: this.o.useAgent, where: this.where }, (message, hint) => new HostError('config', message, hint));
    await this.open({ ...login, username: this.o.address.user });
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

  protected failure(err: Error | undefined, wasReady: boolean): HostError {
    // ssh2 only says "Host denied": the verdict we recorded says why.
    if (this.hostKey && this.hostKey.state !== 'trusted') return hostKeyError(this.where, this.hostKey);
    const a = this.o.address;
    if (err) return classifyHostError(err, this.where, a.user, this.o.useAgent, wasReady);
    return wasReady
      ? new HostError('lost', `${this.where} closed the SSH connection`, 'The host or its sshd restarted; retrying.')
      : new HostError('unreachable', `${this.where} closed the connection during the SSH handshake`, 'Check sshd on the host (its log tells why it hung up); retrying.');
  }

  protected stoppedAnswering(missed: number): HostError {
    return new HostError('lost', `${this.where} stopped answering (${missed} keepalives unanswered)`, 'The host, its network or sshd may be down or frozen; retrying.');
  }

  protected abandoned(): HostError {
    return new HostError('lost', 'connection abandoned before it started', '');
  }

  protected unusableKey(err: Error): HostError {
    return new HostError('config', `cannot use key file ${this.o.keyFile}: ${err.message}`, 'Use an unencrypted key file, or the ssh-agent for a key with a passphrase.');
  }
}
