/**
 * The audience of a share (issue 14): attendees with personal links, the share's page served
 * by the app, and what the page may do (browser terminals to the nodes the owner chose). Plain
 * data that crosses the IPC / WebSocket boundary: an attendee's secret never appears here,
 * except once, in `IssuedLink`, the answer to the call that made it.
 */
import type { TerminalVia } from './terminal-model';

/** `named`: one person; `anyone`: the one link a share may have for whoever holds it. */
export type AttendeeKind = 'named' | 'anyone';

/** Derived: what the owner's view says about the attendee's link. */
export type AttendeeState = 'never-opened' | 'active' | 'seen' | 'revoked';

export interface Attendee {
  id: string;
  shareId: string;
  name: string;
  kind: AttendeeKind;
  createdAt: number;
  /** When the current secret was made (re-issuing makes a new one). */
  issuedAt: number;
  revokedAt?: number;
  firstSeenAt?: number;
  lastSeenAt?: number;
  /** Pages of this attendee open right now. */
  pages: number;
  /** Terminal sessions of this attendee open right now. */
  sessions: number;
  state: AttendeeState;
}

/** One node's browser terminal: off unless the owner turns it on. */
export interface TerminalGrant {
  node: string;
  via: TerminalVia;
}

export interface AudienceSettings {
  terminals: TerminalGrant[];
  /** Terminal sessions one attendee may have open at once. */
  maxSessions: number;
  /** A session without input or output for this long is closed. */
  idleTimeoutMin: number;
  /** Record terminal sessions (asciicast v2). */
  record: boolean;
}

export const AUDIENCE_DEFAULTS: AudienceSettings = { terminals: [], maxSessions: 2, idleTimeoutMin: 30, record: false };
export const MAX_SESSIONS_LIMIT = 10;
export const IDLE_TIMEOUT_MAX_MIN = 24 * 60;
export const ATTENDEES_MAX = 500;

/** The page's own forward through the share's provider. */
export type PageState = 'off' | 'connecting' | 'online' | 'reconnecting' | 'failed';

export interface AudiencePageInfo {
  state: PageState;
  /** The page's public address without any secret (an attendee's link adds `/p/<token>`). */
  link?: string;
  /** The provider the page goes through (the one of the share's ports). */
  provider?: string;
  reason?: string;
}

export interface ShareAudience {
  shareId: string;
  settings: AudienceSettings;
  attendees: Attendee[];
  page: AudiencePageInfo;
}

/** The answer to adding or re-issuing an attendee: the only time the secret leaves the core. */
export interface IssuedLink {
  attendee: Attendee;
  /** `/p/<token>`: the part of the link that carries the secret. */
  path: string;
  /** The whole personal link, when the page already has its address. */
  link?: string;
}

/** The URL path of an attendee's page for a token (`<attendee id>.<secret>`). */
export const pagePath = (token: string): string => `/p/${token}`;

export function attendeeState(a: Pick<Attendee, 'revokedAt' | 'pages' | 'sessions' | 'firstSeenAt'>): AttendeeState {
  if (a.revokedAt !== undefined) return 'revoked';
  if (a.pages > 0 || a.sessions > 0) return 'active';
  return a.firstSeenAt === undefined ? 'never-opened' : 'seen';
}
