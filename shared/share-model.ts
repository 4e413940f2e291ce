/**
 * Shares: one lab's published ports handed to an audience, with an expiry, source rules and
 * an audit of every connection. Plain data that crosses the IPC / WebSocket boundary.
 */

export const SHARE_STATES = ['open', 'expiring', 'expired', 'revoked'] as const;
/** `expiring`: less than EXPIRING_WINDOW_MS left. `expired` / `revoked` never reopen by themselves. */
export type ShareState = (typeof SHARE_STATES)[number];

/** When a share turns `expiring` (and the owner is told). */
export const EXPIRING_WINDOW_MS = 10 * 60_000;

export const AUDIT_LIMIT_DEFAULT = 5000;
export const AUDIT_LIMIT_MIN = 100;
export const AUDIT_LIMIT_MAX = 200_000;

/** One port of a share, by node port: a lab redeployed makes new publications of the same ports. */
export interface SharePort {
  node: string;
  port: number;
  /** The node's kind when the port was shared (for the card's commands when the lab is down). */
  kind: string;
  /** Source rules for this port only; replaces the share's list when set. */
  allow?: string[];
  /** The public address it had last time it was online: the card keeps it while the port is closed. */
  lastEndpoint?: { host: string; port: number; dnsName?: string };
}

/** Who the card tells people to log in as on a node; the password itself stays in the core. */
export interface ShareCredential {
  node: string;
  user: string;
  /** A password the owner set is stored encrypted in the core; only this fact leaves it. */
  hasPassword: boolean;
}

export interface Share {
  id: string;
  host: string;
  lab: string;
  title: string;
  ports: SharePort[];
  createdAt: number;
  /** Epoch ms; absent: until the owner stops sharing. */
  expiresAt?: number;
  /** When the expiry was seen to pass (possibly at the next start, when the app was down). */
  expiredAt?: number;
  revokedAt?: number;
  /** IPv4/IPv6 addresses and CIDRs allowed to connect (self-hosted providers); empty: anyone. */
  allow: string[];
  /** Put the nodes' passwords (the kinds' defaults or the owner's) on the card. */
  includeCredentials: boolean;
  /** Owner-set users (and whether a password is set) per node, over the kinds' defaults. */
  credentials: ShareCredential[];
  /** Audit records kept for this share; the oldest go first past it. */
  auditLimit: number;
  /**
   * The address of the share's audience page (served by the app through the share's
   * provider), without any secret: each attendee's personal link adds `/p/<token>` to it.
   */
  link?: string;
  /** Derived, never stored: what the share is now. */
  state: ShareState;
}

/** The time a share is open until, from a preset name; `endOfDay` is 23:59:59 local time. */
export const EXPIRY_PRESETS = ['1h', '4h', 'endOfDay', '1d', '1w'] as const;
export type ExpiryPreset = (typeof EXPIRY_PRESETS)[number];

export const EXPIRY_PRESET_LABELS: Record<ExpiryPreset, string> = {
  '1h': '1 hour',
  '4h': '4 hours',
  endOfDay: 'End of day',
  '1d': '1 day',
  '1w': '1 week',
};

export function presetExpiry(preset: ExpiryPreset, now: number): number {
  const hour = 3600_000;
  switch (preset) {
    case '1h':
      return now + hour;
    case '4h':
      return now + 4 * hour;
    case '1d':
      return now + 24 * hour;
    case '1w':
      return now + 7 * 24 * hour;
    case 'endOfDay': {
      const d = new Date(now);
      d.setHours(23, 59, 59, 0);
      // Less than a minute before midnight: the end of the next day rather than "now".
      return d.getTime() - now < 60_000 ? d.getTime() + 24 * hour : d.getTime();
    }
  }
}

/** What a share is at `now`, from its stored times. */
export function shareStateAt(s: Pick<Share, 'expiresAt' | 'revokedAt'>, now: number): ShareState {
  if (s.revokedAt !== undefined) return 'revoked';
  if (s.expiresAt === undefined) return 'open';
  if (s.expiresAt <= now) return 'expired';
  return s.expiresAt - now <= EXPIRING_WINDOW_MS ? 'expiring' : 'open';
}

export const isShareEnded = (state: ShareState): boolean => state === 'expired' || state === 'revoked';

/** `<node>:<port>`: how a share port is named in messages, keys and per-port rules. */
export const sharePortKey = (node: string, port: number): string => `${node}:${port}`;

/** One connection (or refused attempt) through a shared port. */
export interface AuditRecord {
  /** Per share, increasing. */
  seq: number;
  node: string;
  /** The node's port the connection went to. */
  port: number;
  source: string;
  sourcePort: number;
  start: number;
  /** Absent while open; after a crash an unfinished record keeps no end. */
  end?: number;
  bytesIn: number;
  bytesOut: number;
  refused: boolean;
  /** Why it was refused, or how it ended (an error, "share expired"). */
  reason?: string;
  /** The audience member, when known (by name; the id stays stable when the name is reused). */
  attendee?: string;
  attendeeId?: string;
  /**
   * What the record is: absent for a connection through a shared port; `page` for an
   * attendee's page (its WebSocket, or a refused link), `terminal` for a browser terminal to
   * `node` (`port` is its SSH port, 0 through the container engine), `watch` for following
   * the owner's terminal.
   */
  kind?: AuditKind;
}

export type AuditKind = 'page' | 'terminal' | 'watch';

/** Who connected: one row per source address. */
export interface AuditSource {
  source: string;
  firstSeen: number;
  lastSeen: number;
  connections: number;
  refused: number;
  open: number;
  bytesIn: number;
  bytesOut: number;
}

export interface ShareAudit {
  shareId: string;
  /** Newest last. */
  records: AuditRecord[];
  sources: AuditSource[];
  /** Records dropped since the share began because of `auditLimit`. */
  dropped: number;
}
