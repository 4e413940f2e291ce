import type { AudienceSettings } from '../../../shared/audience-model';
import type { ShareCard } from '../../../shared/share-card-model';
import { isShareEnded } from '../../../shared/share-model';
import type { OpenTerminal } from '../terminals/terminal-types';
import type { StoredAttendee } from './audience-store';
import { sshPortOf } from './page-state';

export interface TerminalAsk {
  card: ShareCard;
  host: string;
  settings: AudienceSettings;
  attendee: StoredAttendee;
  node: string;
  cols: number;
  rows: number;
  /** The owner's login for the node (or the kind's default): used by the app, never sent to the page. */
  login: () => { username: string; password?: string };
}

/**
 * What the terminal service is asked to open for an attendee, or why not. The policy is
 * decided here — the owner enabled this node, the share is open, the attendee's link stands —
 * and handed over with the limits (sessions per attendee, idle time) the service enforces.
 */
export function terminalRequest(a: TerminalAsk): OpenTerminal | { refused: string } {
  if (isShareEnded(a.card.state)) return { refused: 'this share has ended' };
  if (a.attendee.revokedAt !== undefined) return { refused: 'your link was revoked' };
  const grant = a.settings.terminals.find((t) => t.node === a.node);
  if (!grant) return { refused: `the organiser has not opened a terminal to ${a.node}` };
  const base = { host: a.host, lab: a.card.lab, node: a.node };
  let target: OpenTerminal['target'];
  if (grant.via === 'ssh') {
    const login = a.login();
    target = { ...base, via: 'ssh', port: sshPortOf(a.card, a.node), username: login.username };
    if (login.password !== undefined) target.password = login.password;
  } else {
    target = { ...base, via: 'engine' };
  }
  return {
    target,
    shareId: a.card.shareId,
    attendeeId: a.attendee.id,
    attendeeName: a.attendee.name,
    cols: a.cols,
    rows: a.rows,
    record: a.settings.record,
    // The "anyone" entry is a whole room: its limit is per page, counted by the audience
    // layer, and the service is not asked to cap the entry as if it were one person.
    maxPerAttendee: a.attendee.kind === 'named' ? a.settings.maxSessions : undefined,
    idleTimeoutMs: a.settings.idleTimeoutMin * 60_000,
  };
}
