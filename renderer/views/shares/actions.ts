import type { IssuedLink, ShareAudience } from '../../../shared/audience-model';
import type { ParamsIn } from '../../../shared/contract';
import type { ShareCard } from '../../../shared/share-card-model';
import type { Share, ShareAudit } from '../../../shared/share-model';
import { api } from '../../api';

// The shares feature's calls to the core; `shares.changed` brings their effect to the list.

export function createShare(params: ParamsIn<'shares.create'>): Promise<Share> {
  return api['shares.create'](params);
}

export async function updateShare(params: ParamsIn<'shares.update'>): Promise<void> {
  await api['shares.update'](params);
}

export async function extendShare(id: string, until: ParamsIn<'shares.extend'>['until']): Promise<void> {
  await api['shares.extend']({ id, until });
}

export async function revokeShare(id: string): Promise<void> {
  await api['shares.revoke']({ id });
}

export async function removeShare(id: string, unpublish: boolean): Promise<void> {
  await api['shares.remove']({ id, unpublish });
}

/** The user the card names on a node, and its password (null forgets it; kept encrypted by the core). */
export async function setShareLogin(params: ParamsIn<'shares.setCredentials'>): Promise<void> {
  await api['shares.setCredentials'](params);
}

export function shareCard(id: string): Promise<ShareCard> {
  return api['shares.card']({ id });
}

export function shareAudit(id: string): Promise<ShareAudit> {
  return api['shares.audit']({ id });
}

/** Calls back with each share's audit revision whenever connections were recorded; returns the unsubscribe. */
export function onAuditChanged(cb: (revisions: Record<string, number>) => void): () => void {
  return api.on('shares.auditChanged', (p) => cb(p.revisions));
}

// --- the audience: attendees, their links, the page's terminals ---


export function shareAudience(id: string): Promise<ShareAudience> {
  return api['shares.audience']({ id });
}

/** Calls back with every share's audience whenever one changed; returns the unsubscribe. */
export function onAudienceChanged(cb: (all: ShareAudience[]) => void): () => void {
  return api.on('shares.audienceChanged', cb);
}

/** A named attendee, or the "anyone with the link" entry: the answer holds the link, shown once. */
export function addAttendee(params: ParamsIn<'shares.addAttendee'>): Promise<IssuedLink> {
  return api['shares.addAttendee'](params);
}

export function reissueAttendee(id: string, attendeeId: string): Promise<IssuedLink> {
  return api['shares.reissueAttendee']({ id, attendeeId });
}

export async function revokeAttendee(id: string, attendeeId: string): Promise<void> {
  await api['shares.revokeAttendee']({ id, attendeeId });
}

export async function removeAttendee(id: string, attendeeId: string): Promise<void> {
  await api['shares.removeAttendee']({ id, attendeeId });
}

export async function setAudience(params: ParamsIn<'shares.setAudience'>): Promise<void> {
  await api['shares.setAudience'](params);
}
