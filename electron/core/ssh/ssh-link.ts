import { Client, type ConnectConfig } from 'ssh2';
import { Keepalive } from './keepalive';
import { destroySocket, globalRequest } from './ssh2-internals';
import type { HostKeyCheck, HostKeyStore } from './host-key-store';
import { OpenChannels } from '../util/open-channels';
import { coalescingSocket } from './coalescing-socket';

export interface SshLinkOptions<E extends Error> {
  host: string;
  port: number;
  hostKeys: HostKeyStore;
  readyTimeoutMs?: number;
  keepalive: { intervalMs: number; maxMissed: number };
  /** Send one keepalive the moment the link is ready, so the round trip is known at once. */
  measureAtStart?: boolean;
  /** Round trip of each answered keepalive (also kept in `lastRttMs`). */
  onRtt?(ms: number): void;
  /** Called once when a link that was ready ends by itself, with the reason. */
  onClose(err: E): void;
}

/**
 * One long-lived ssh2 client, as the SSH relay and the lab hosts use it: the host key is
 * checked against the store (nothing unconfirmed is trusted), a timed keepalive measures the
 * round trip and cuts a link that stops answering, channels still open when the link is lost
 * are broken with the reason, and end() says goodbye with a deadline. Subclasses log in and
 * say how errors read.
 */
export abstract class SshLink<E extends Error> {
  /** The host key the server presented, once it did. */
  hostKey?: HostKeyCheck;
  /** Round trip of the last answered keepalive. */
  lastRttMs?: number;
  protected readonly client = new Client();
  /** Channels handed out over this link (see `track`). */
  protected readonly channels = new OpenChannels();
  protected readonly where: string;
  private keepalive?: Keepalive;
  /** Set when keepalives went unanswered: why the link was cut. */
  private dead?: E;
  private ready = false;
  private started = false;
  private closed = false;

  constructor(private readonly link: SshLinkOptions<E>) {
    this.where = `${link.host.includes(':') ? `[${link.host}]` : link.host}:${link.port}`;
  }

  get isReady(): boolean {
    return this.ready && !this.closed;
  }

  /** Why a link that was ready ended (`err` from ssh2 or the socket, if any) or never got ready. */
  protected abstract failure(err: Error | undefined, wasReady: boolean): E;
  /** The link answered none of `missed` keepalives sent every `everyMs`. */
  protected abstract stoppedAnswering(missed: number, everyMs: number): E;
  /** connect() called after end(): nothing to do. */
  protected abstract abandoned(): E;
  /** ssh2 refused the key while parsing it (encrypted, malformed). */
  protected abstract unusableKey(err: Error): E;
  /** How a broken channel's error starts, e.g. "the relay connection was lost". */
  protected abstract readonly lostPrefix: string;

  /** Connects with `login` (user and key or agent) and resolves once the link is ready. */
  protected async open(login: Pick<ConnectConfig, 'username' | 'agent' | 'privateKey'>): Promise<void> {
    const { host, port, hostKeys } = this.link;
    const config: ConnectConfig = {
      ...login,
      host,
      port,
      readyTimeout: this.link.readyTimeoutMs ?? 10_000,
      // Our own keepalive replaces ssh2's, which cannot time the replies.
      keepaliveInterval: 0,
      hostVerifier: (key: Buffer) => {
        this.hostKey = hostKeys.check(host, port, key);
        return this.hostKey.state === 'trusted';
      },
    };
    if (this.closed) throw this.abandoned();
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
        const err = this.dead ?? this.failure(failure, this.ready);
        this.onClosed();
        if (!this.ready) return reject(err);
        // Before ssh2 ends them as if the far side had closed them cleanly.
        this.channels.breakAll(new Error(`${this.lostPrefix}: ${err.message}`));
        this.link.onClose(err);
      });
      try {
        // Our own socket, so that ssh2's packet-by-packet writes leave together (see there).
        config.sock = coalescingSocket({ host, port });
        this.client.connect(config);
      } catch (err) {
        // ssh2 parses the key synchronously: an encrypted or malformed key fails here.
        reject(this.unusableKey(err as Error));
        this.client.destroy();
        config.sock?.destroy();
      }
    });
  }

  /** The link closed (by itself or by end()): drop what only made sense while it was up. */
  protected onClosed(): void {}

  /** Says goodbye; a server that does not answer is cut off after `graceMs`. */
  end(graceMs = 2000): Promise<void> {
    this.ready = false; // a deliberate end is not a lost link: no onClose
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

  /** `keepalive@openssh.com` with want-reply every interval, timed: the link's health. */
  private startKeepalive(): void {
    const k = this.link.keepalive;
    const send = (answered: (ok: boolean) => void) => {
      try {
        return globalRequest(this.client, 'keepalive@openssh.com', answered);
      } catch {
        return false; // ssh2's internals changed shape: no latency, but a dead link still closes
      }
    };
    const rtt = (ms: number) => {
      this.lastRttMs = ms;
      this.link.onRtt?.(ms);
    };
    this.keepalive = new Keepalive({
      ...k,
      send,
      onRtt: rtt,
      onDead: (missed) => {
        this.dead = this.stoppedAnswering(missed, k.intervalMs);
        destroySocket(this.client);
      },
    });
    this.keepalive.start();
    if (!this.link.measureAtStart) return;
    const at = performance.now();
    send((ok) => ok && rtt(Math.round((performance.now() - at) * 10) / 10));
  }
}
