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
