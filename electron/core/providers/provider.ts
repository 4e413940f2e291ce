import type { Duplex } from 'node:stream';
import type { ProviderInfo, PublicationType, TunnelEndpoint } from '../../../shared/model';

/** What a tunnel asks a provider to expose. */
export interface ForwardSpec {
  tunnelId: string;
  /** `clab-<node>-<type>-<port>`. */
  name: string;
  /** The lab host the node runs on (`local` for this computer's Docker). */
  host?: string;
  lab: string;
  node: string;
  port: number;
  type: PublicationType;
  access: string[];
  accessKind?: 'emails-domains' | 'policies';
  /** Public port wanted; 0/undefined lets the provider choose. */
  publicPort?: number;
  /** Without `publicPort`: the port it had before, tried first; any free port if it is taken. */
  preferredPort?: number;
}

/** A provider's view of one forward, reported as it changes. */
export type ForwardStatus =
  | { state: 'connecting'; reason?: string }
  | { state: 'online'; endpoint: TunnelEndpoint }
  | { state: 'reconnecting'; reason: string; nextRetryAt?: number }
  | { state: 'failed'; reason: string };

export interface ForwardHandlers {
  /**
   * A public connection arrived. The tunnel dials the node and pipes both ways; it owns
   * the socket from here on (and destroys it when the node is not there).
   */
  onConnection(socket: Duplex, from: string): void;
  /**
   * UDP forwards (`spec.type === 'udp'`): one datagram from a public peer (`addr:port`);
   * `reply` sends a datagram back to that peer, from the public port it wrote to. Datagrams are
   * not a stream: they never go through onConnection.
   */
  onDatagram?(from: string, data: Buffer, reply: DatagramReply): void;
  onStatus(status: ForwardStatus): void;
  /**
   * Link health measured by the provider: the round trip of each answered SSH keepalive to
   * the relay / tunnel server. Providers without such a link (local) never call it.
   */
  onHealth?(health: ForwardHealth): void;
}

export interface ForwardHealth {
  rttMs: number;
}

export type DatagramReply = (data: Buffer) => void;

/** A UDP peer's socket to the node lives this long without a datagram unless the user says otherwise. */
export const DEFAULT_UDP_IDLE_SECONDS = 60;

export interface Forward {
  /** Stop accepting and release the public port (listener closed / forward cancelled). */
  close(): Promise<void>;
  /** UDP forwards: how long a peer may stay silent before its upstream socket is closed. */
  readonly peerIdleMs?: number;
}

/**
 * How a publication reaches the outside. A provider is a service: `start()` loads its
 * settings, `dispose()` closes everything it opened.
 */
export interface TunnelProvider {
  readonly id: string;
  info(): ProviderInfo;
  /** Called whenever `info()` changes (connection state, host key prompt, settings). */
  onChanged(listener: () => void): () => void;
  /** Synchronous: progress and failures arrive through `handlers.onStatus`. */
  open(spec: ForwardSpec, handlers: ForwardHandlers): Forward;
  /** Validated settings from `providers.configure` (the schema already ran). */
  configure(settings: Record<string, unknown>): Promise<void>;
  trustHostKey?(fingerprint: string): Promise<void>;
  forgetHostKey?(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}
