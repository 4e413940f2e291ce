/**
 * What the audience page and the app say to each other on the page's own WebSocket. This is
 * not the owner's contract: none of its methods exists here, and a message that is not one of
 * the few below is answered with an error and nothing else.
 */
import type { CardPortStatus } from './share-card-model';
import type { ShareState } from './share-model';
import type { TerminalVia } from './terminal-model';

/** A node as the page shows it: `expired` once the share has ended. */
export type PageNodeState = 'online' | 'waiting' | 'starting' | 'closed' | 'expired';

export interface PagePort {
  port: number;
  service: string;
  status: CardPortStatus;
  address?: string;
  command?: string;
  url?: string;
  note?: string;
  user: string;
  /** Only when the owner put credentials on the card. */
  password?: string;
}

export interface PageNode {
  name: string;
  kind: string;
  state: PageNodeState;
  ports: PagePort[];
  /** Set when the owner lets the audience open a terminal to this node. */
  terminal?: TerminalVia;
}

/** Everything the page shows, pushed again whenever it changes. */
export interface AudiencePage {
  title: string;
  /** The attendee's name ("Anyone with the link" for the shared entry). */
  attendee: string;
  state: ShareState;
  expiresAt?: number;
  endedAt?: number;
  /** The app's clock when this was sent: the countdown corrects the browser's clock by it. */
  serverNow: number;
  nodes: PageNode[];
  sshConfig: string;
  /** The owner's terminal shared read-only with the audience (watch mode), when there is one. */
  watch?: { node: string; since: number };
  limits: { maxSessions: number; idleTimeoutMin: number };
}

/** One message of keystrokes or a paste; a larger paste is split by the page. */
export const MAX_INPUT_CHARS = 16 * 1024;

/** What a page may send (checked against shared/audience-schemas.ts by the app). */
export type ClientMessage =
  | { t: 'open'; ref: number; node: string; cols: number; rows: number }
  /** After a reconnect: the same session again, with what it printed meanwhile. */
  | { t: 'attach'; ref: number; sid: string; cols: number; rows: number }
  | { t: 'in'; sid: string; d: string }
  | { t: 'resize'; sid: string; cols: number; rows: number }
  | { t: 'close'; sid: string }
  | { t: 'watch'; on: boolean }
  | { t: 'ping' };

export type ServerMessage =
  | { t: 'page'; page: AudiencePage }
  | { t: 'opened'; ref: number; sid: string; node: string; via: TerminalVia; reattached: boolean }
  | { t: 'data'; sid: string; d: string }
  | { t: 'exit'; sid: string; reason: string }
  /** `cols`/`rows`: the owner's terminal size, which the spectator's view takes. */
  | { t: 'watch-start'; node: string; backlog: string; cols?: number; rows?: number }
  | { t: 'watch-size'; cols: number; rows: number }
  | { t: 'watch-data'; d: string }
  | { t: 'watch-end'; reason: string }
  | { t: 'error'; message: string; ref?: number }
  | { t: 'ended'; reason: string }
  | { t: 'pong' };

/** WebSocket close codes the page acts on (4000-4999 are the application's). */
export const CLOSE_ENDED = 4001;
export const CLOSE_REFUSED = 4003;
export const CLOSE_TOO_MANY = 4013;

/** The page's WebSocket lives under its own link: `/p/<token>/ws`. */
export const WS_SUFFIX = '/ws';
