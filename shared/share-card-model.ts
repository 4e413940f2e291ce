import type { PublicationType } from './model';
import type { ShareState } from './share-model';

/** What the card needs to know about one shared port (gathered by the core, or read from its files). */
export interface CardPortInput {
  node: string;
  kind: string;
  port: number;
  /** Undefined when the node port is not published (any more). */
  type?: PublicationType;
  provider?: string;
  /** The publication's identity list (border0 emails/domains or policies). */
  access?: string[];
  /** The address people use: the live one, else the last one it had. */
  endpoint?: { host: string; port: number; dnsName?: string };
  /** `online` carries traffic now; the others say why not. */
  status: CardPortStatus;
  /** Source rules in force for this port (the port's own, else the share's). */
  rules: string[];
  /** Whether the provider enforces source rules (local, ssh) or not (border0). */
  rulesEnforced: boolean;
  user: string;
  /** Only filled in when the owner ticked "include credentials". */
  password?: string;
}

/** `unknown`: read from the data folder while nothing runs (the `share-card` CLI). */
export type CardPortStatus = 'online' | 'starting' | 'waiting-for-node' | 'closed' | 'not-published' | 'unknown';

export interface CardInput {
  shareId: string;
  title: string;
  host: string;
  lab: string;
  state: ShareState;
  expiresAt?: number;
  endedAt?: number;
  link?: string;
  includeCredentials: boolean;
  ports: CardPortInput[];
}

/**
 * Who can reach a port: `restricted` by source rules, `identity` by border0's identity list,
 * `loopback` (only this computer), `open` to anyone who finds the port (shown in amber).
 */
export type Exposure = 'restricted' | 'identity' | 'loopback' | 'open';

export interface CardPort {
  node: string;
  kind: string;
  port: number;
  /** SSH, NETCONF, gNMI, JSON-RPC, eAPI, HTTP, HTTPS, TLS, TCP. */
  service: string;
  status: CardPortStatus;
  /** `host:port` (IPv6 in brackets), absent until the port had an address. */
  address?: string;
  /** The ready command for this service and kind. */
  command?: string;
  /** A browser link for web ports. */
  url?: string;
  /** `Host` alias of this port in the ssh_config, for SSH-capable ports. */
  sshAlias?: string;
  user: string;
  password?: string;
  exposure: Exposure;
  rules: string[];
  /** One line for the audience when something needs saying (border0's client, a closed port). */
  note?: string;
}

export interface CardQr {
  label: string;
  text: string;
}

/** The share as the input gave it, with its ports worked out for the audience. */
export interface ShareCard extends Omit<CardInput, 'ports'> {
  ports: CardPort[];
  /** One `Host <lab>-<node>` entry per SSH-capable port. */
  sshConfig: string;
  /** What the QR codes encode: the share's link once it has one; else browser links and the primary address. */
  qr: CardQr[];
  /** The whole card as Markdown (what `clab-publisher share-card` prints). */
  markdown: string;
}
