/**
 * The domain model shared by the core and the UI. Plain data only: everything here crosses
 * the IPC / WebSocket boundary as JSON.
 */

export const PUBLICATION_TYPES = ['tcp', 'tls', 'http', 'https', 'ssh'] as const;
export type PublicationType = (typeof PUBLICATION_TYPES)[number];

export type NodeState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface NodePort {
  port: number;
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
  nodes: LabNode[];
}

export type LabHostState = 'connecting' | 'connected' | 'unreachable';

export interface LabHostStatus {
  id: string;
  label: string;
  state: LabHostState;
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
  open: number;
  total: number;
  bytesIn: number;
  bytesOut: number;
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
  origin: PublicationOrigin;
  source?: Publication['source'];
  lastError?: string;
  nextRetryAt?: number;
  since: number;
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

export interface LogEntry {
  seq: number;
  time: number;
  level: LogLevel;
  source: string;
  tunnelId?: string;
  message: string;
  fields?: Record<string, string | number | boolean | null>;
}
