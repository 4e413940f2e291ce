import type { ClientChannel } from 'ssh2';
import type { Logger } from '../logs/logger';
import type { HostConnection } from './host-connection';

/** How Docker's API is reached on the host, decided once per SSH connection. */
export type DockerTransport = 'streamlocal' | 'dial-stdio';

export const DOCKER_SOCKET = '/var/run/docker.sock';
const PROBE_TIMEOUT_MS = 10_000;
/**
 * sshd's MaxSessions (10 by default) counts exec channels: dial-stdio keeps below it, with room
 * for the SFTP session. Socket forwards are not sessions and need no such limit.
 */
const MAX_DIAL_STDIO = 8;

/**
 * Opens byte streams to the host's Docker API over our own, host-key-verified SSH connection
 * (docker-modem's `protocol: 'ssh'` opens a fresh, unverified SSH connection per request).
 * Preferred: a direct-streamlocal channel to /var/run/docker.sock (OpenSSH's socket forwarding:
 * no process on the host). When sshd forbids that (AllowStreamLocalForwarding no), `docker
 * system dial-stdio` run on the host, which is what the docker CLI itself does for ssh://.
 */
export class DockerChannels {
  /** Called when a dial-stdio channel must wait for a free session: idle ones may give way. */
  onSaturated?: () => void;
  private transport?: Promise<DockerTransport>;
  /** The socket forward that proved forwarding works, handed to the first request. */
  private spare?: ClientChannel;
  private dialStdioOpen = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly conn: HostConnection,
    private readonly log: Logger,
    private readonly socketPath = DOCKER_SOCKET,
  ) {}

  /** Whether a channel is waiting for a free session right now. */
  get saturated(): boolean {
    return this.waiting.length > 0;
  }

  async open(): Promise<ClientChannel> {
    const transport = await this.detect();
    if (transport === 'dial-stdio') return this.dialStdio();
    const spare = this.spare;
    this.spare = undefined;
    return spare ?? this.conn.streamLocal(this.socketPath);
  }

  /**
   * Which transport works; retried after a failure. A socket forward that opens is Docker's
   * socket accepting us (a missing socket or a refused one fails the open), so it needs no
   * extra round trip; dial-stdio always starts, so it is proven by a `GET /_ping`, which also
   * catches what the docker CLI says on stderr when it cannot reach the daemon.
   */
  detect(): Promise<DockerTransport> {
    this.transport ??= this.probe().catch((err: Error) => {
      this.transport = undefined;
      throw err;
    });
    return this.transport;
  }

  private async probe(): Promise<DockerTransport> {
    let forwardProblem: string;
    try {
      const spare = await this.conn.streamLocal(this.socketPath);
      spare.once('close', () => this.spare === spare && (this.spare = undefined));
      this.spare = spare;
      this.log.debug(`Docker API through a socket forward to ${this.socketPath}`);
      return 'streamlocal';
    } catch (err) {
      forwardProblem = (err as Error).message;
    }
    try {
      await ping(await this.dialStdio());
      this.log.info('Docker API through `docker system dial-stdio` (sshd does not forward unix sockets)', { socketForward: forwardProblem });
      return 'dial-stdio';
    } catch (err) {
      throw new Error(`${(err as Error).message} (forwarding ${this.socketPath}: ${forwardProblem})`);
    }
  }

  private async dialStdio(): Promise<ClientChannel> {
    if (this.dialStdioOpen >= MAX_DIAL_STDIO) {
      const slot = new Promise<void>((r) => this.waiting.push(r));
      this.onSaturated?.();
      await slot;
    } else this.dialStdioOpen++;
    let ch: ClientChannel;
    try {
      ch = await this.conn.exec('docker system dial-stdio');
    } catch (err) {
      this.release();
      throw err;
    }
    // What the docker CLI says on stderr (permission denied, not found) is the real reason.
    let stderr = '';
    ch.stderr.on('data', (b: Buffer) => void (stderr = (stderr + b.toString('utf8')).slice(-500)));
    Object.defineProperty(ch, 'problem', { get: () => stderr.trim() });
    ch.once('close', () => this.release());
    return ch;
  }

  /** A closed channel hands its session straight to the next one waiting. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.dialStdioOpen--;
  }
}

/** One `GET /_ping` on a fresh channel; resolves on `200 OK`, then closes the channel. */
function ping(ch: ClientChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    let head = '';
    let settled = false;
    const timer = setTimeout(() => done(new Error(`Docker did not answer /_ping within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
    const done = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ch.removeAllListeners('data');
      ch.destroy();
      if (err) reject(err);
      else resolve();
    };
    ch.on('data', (b: Buffer) => {
      head += b.toString('latin1');
      if (!head.includes('\r\n')) return;
      const status = head.slice(0, head.indexOf('\r\n'));
      done(/^HTTP\/1\.[01] 200/.test(status) ? undefined : new Error(`Docker answered /_ping with "${status}"`));
    });
    ch.once('close', () => {
      const problem = (ch as ClientChannel & { problem?: string }).problem;
      done(new Error(problem || 'the channel to Docker closed without an answer'));
    });
    ch.on('error', (err: Error) => done(err));
    ch.write('GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n');
  });
}
