/**
 * The domain model shared by the core and the UI. Plain data only: everything here crosses
 * the IPC / WebSocket boundary as JSON.
 */

export const PUBLICATION_TYPES = ['tcp', 'tls', 'http', 'https', 'ssh', 'udp'] as const;
export type PublicationType = (typeof PUBLICATION_TYPES)[number];

/** The transport a node port speaks: every publication type but `udp` rides on TCP. */
export type Transport = 'tcp' | 'udp';
export const transportOf = (type: PublicationType): Transport => (type === 'udp' ? 'udp' : 'tcp');

export type NodeState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface NodePort {
  port: number;
  /** TCP and UDP ports are separate chips: UDP 161 and TCP 161 are two ports. */
  protocol: Transport;
  /** `listening`: seen in the container's socket table; `hint`: the kind's well-known port. */
  source: 'listening' | 'hint';
  service?: string;
}

export interface LabNode {
  name: string;
  containerName: string;
  containerId: string;
  kind: string;
  type: string;
  image: string;
  state: NodeState;
  ipv4?: string;
  ipv6?: string;
  ports: NodePort[];
}

export interface Lab {
  host: string;
  name: string;
  topologyFile?: string;
  /** containerlab's `clab-owner` label: who deployed it (absent before containerlab 0.57). */
  owner?: string;
  nodes: LabNode[];
}

export type LabHostState = 'connecting' | 'connected' | 'unreachable';

export interface LabHostStatus {
  id: string;
  label: string;
  /** `local` (this computer's Docker) or `ssh` (Docker on another machine, over SSH). */
  kind: 'local' | 'ssh';
  /** `ssh://user@host:port` for remote hosts. */
  address?: string;
  state: LabHostState;
  /** Round trip of the last keepalive / ping to the host's Docker. */
  latencyMs?: number;
  hostKey?: HostKeyInfo;
  /** What happened, in words, when not connected. */
  error?: string;
  /** What the user can do about it. */
  hint?: string;
  /** Epoch ms of the next reconnect attempt while unreachable. */
  nextRetryAt?: number;
}

export type PublicationOrigin = 'ui' | 'topology';

export interface Publication {
  id: string;
  host: string;
  lab: string;
  node: string;
  port: number;
  type: PublicationType;
  provider: string;
  access: string[];
  /** What `access` names: emails and domains (cloud auth) or the service's policies. */
  accessKind?: 'emails-domains' | 'policies';
  origin: PublicationOrigin;
  /** Public port the user asked for; 0 or absent lets the provider choose. */
  publicPort?: number;
  /**
   * The port the provider chose last time (no `publicPort` asked for): asked for first after
   * a restart, so the address people were given keeps working whenever the port is free.
   */
  lastPublicPort?: number;
  createdAt: number;
  /** For origin `topology`: the entry's place in the file. */
  source?: { file: string; line: number; column: number; text: string };
}

export const TUNNEL_STATES = [
  'pending',
  'connecting',
  'online',
  'degraded',
  'waiting-for-node',
  'reconnecting',
  'failed',
  'stopped',
] as const;
export type TunnelState = (typeof TUNNEL_STATES)[number];

export interface TunnelEndpoint {
  host: string;
  port: number;
  dnsName?: string;
  socketId?: string;
}

export interface TunnelCounters {
  /** TCP: connections open now; UDP: active peers (seen within the idle timeout). */
  open: number;
  /** TCP: connections since the tunnel started; UDP: peers since the tunnel started. */
  total: number;
  bytesIn: number;
  bytesOut: number;
  /** UDP only: datagrams from peers to the node / from the node to peers. */
  datagramsIn?: number;
  datagramsOut?: number;
  /** UDP only: datagrams not delivered (peer table full, refused peer, node unreachable, oversize). */
  drops?: number;
  /** UDP only: epoch ms of the last datagram either way (UDP has no connection to watch). */
  lastDatagramAt?: number;
}

/** One probe's last answer. */
export interface ProbeResult {
  ok: boolean;
  latencyMs?: number;
  error?: string;
  /** What an ok result means when it is not an answer (UDP: no reply, but no port-unreachable). */
  detail?: string;
  checkedAt: number;
}

export interface TunnelHealth {
  /** SSH keepalive round trip to the relay / tunnel server (ssh, border0). */
  rttMs?: number;
  /** TCP connect (UDP: a probe datagram) to the node's port from where the tunnel dials it. */
  upstream?: ProbeResult;
  /**
   * TCP connect to the public endpoint, where this machine can reach it. UDP: a probe request
   * through the tunnel to the node, only for ports whose service answers one (SNMP on 161).
   */
  endToEnd?: ProbeResult;
}

/** Bytes per 5-second bucket over the last minute, oldest first (for the sparkline). */
export interface Throughput {
  bucketMs: number;
  in: number[];
  out: number[];
}

export interface Tunnel {
  id: string;
  publicationId: string;
  /** The original feature's socket name: `clab-<node>-<type>-<port>`. */
  name: string;
  host: string;
  lab: string;
  node: string;
  port: number;
  type: PublicationType;
  provider: string;
  access: string[];
  state: TunnelState;
  reason?: string;
  endpoint?: TunnelEndpoint;
  /** Where forwarded connections currently go (node address and port). */
  target?: { host: string; port: number };
  counters: TunnelCounters;
  health?: TunnelHealth;
  throughput?: Throughput;
  origin: PublicationOrigin;
  source?: Publication['source'];
  lastError?: string;
  nextRetryAt?: number;
  since: number;
  /**
   * Orders this tunnel's snapshots within one run of the core: a higher seq is newer, an equal
   * one carries nothing newer. Events and answers can arrive out of order (an answer does not
   * wait behind events a slow client has not read yet): a snapshot older than the one held is
   * dropped. Restarts with the core.
   */
  seq?: number;
}

export type HostKeyState = 'none' | 'unknown' | 'trusted' | 'mismatch';

export interface HostKeyInfo {
  state: HostKeyState;
  algorithm?: string;
  /** OpenSSH style `SHA256:...` fingerprint of the key the server presented. */
  fingerprint?: string;
  /** Fingerprint stored earlier, shown when the server now presents another key. */
  trustedFingerprint?: string;
}

export interface ProviderCapabilities {
  types: PublicationType[];
  /**
   * Why each publication type missing from `types` is not offered, in words for the publish
   * dialog: every type not in `types` has an entry (shared/provider-capabilities.ts builds it).
   */
  unavailable: Partial<Record<PublicationType, string>>;
  accessControl: boolean;
  /** Whether the user may ask for a specific public port. */
  choosePort: boolean;
}

export type ProviderConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface ProviderInfo {
  id: string;
  kind: 'local' | 'ssh' | 'border0';
  label: string;
  configured: boolean;
  capabilities: ProviderCapabilities;
  /** Settings without secrets: what the UI may show and edit. */
  settings: Record<string, string | number | boolean>;
  connection: { state: ProviderConnectionState; error?: string; nextRetryAt?: number };
  hostKey?: HostKeyInfo;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Whether the log file keeps up: entries are always kept in memory; this says what did not reach the file. */
export interface LogFileStatus {
  /** The current log file; absent when logs are kept in memory only. */
  file?: string;
  /** Entries not written to the file since the core started (a full disk, a folder gone). */
  unwritten: number;
  /** Why the last write failed, in words; absent once writing works again. */
  problem?: string;
}

export interface LogEntry {
  seq: number;
  time: number;
  level: LogLevel;
  source: string;
  tunnelId?: string;
  message: string;
  fields?: Record<string, string | number | boolean | null>;
}
