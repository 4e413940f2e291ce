import type { Logger } from '../../logs/logger';
import type { ForwardHandlers, ForwardSpec, ForwardStatus } from '../provider';
import type { SshRelayConnection } from './ssh-relay-connection';

/** What the provider does with each publication on the relay, whatever carries it. */
export interface RelayPublication {
  readonly spec: ForwardSpec;
  closed: boolean;
  status?: ForwardStatus;
  /** Port the relay bound last time; asked for first on the next connection. */
  bound?: number;
  report(status: ForwardStatus): void;
  request(conn: SshRelayConnection, bindAddress: string, publicHost: string, current: () => boolean): Promise<void>;
  reportRtt(conn: SshRelayConnection, rttMs: number): void;
  /** The connection is gone: stop routing, keep `bound`. */
  detach(): void;
  /** Stops it; with `cancel`, waits until the relay freed the port. */
  close(bindAddress: string, cancel: boolean): Promise<void>;
}

/**
 * What every relay publication keeps the same way, TCP forward or UDP helper: the port it
 * asks for (the one it had, else the one the publication wants) and its status reported to
 * the runtime, never twice after close and never letting a throwing listener through.
 */
export abstract class RelayPublicationBase implements RelayPublication {
  closed = false;
  status?: ForwardStatus;
  bound?: number;

  constructor(
    readonly spec: ForwardSpec,
    protected readonly handlers: ForwardHandlers,
    protected readonly log: Logger,
  ) {
    // The port it had before the app restarted is asked for first, like after a reconnect.
    if (!spec.publicPort && spec.preferredPort) this.bound = spec.preferredPort;
  }

  /** The port the publication asked for; 0 lets the relay choose. */
  get wanted(): number {
    return this.spec.publicPort ?? 0;
  }

  report(status: ForwardStatus): void {
    if (this.closed) return;
    this.status = status;
    try {
      this.handlers.onStatus(status);
    } catch (err) {
      this.log.error('status listener failed', { error: (err as Error).message });
    }
  }

  abstract request(conn: SshRelayConnection, bindAddress: string, publicHost: string, current: () => boolean): Promise<void>;
  abstract reportRtt(conn: SshRelayConnection, rttMs: number): void;
  abstract detach(): void;
  abstract close(bindAddress: string, cancel: boolean): Promise<void>;
}
