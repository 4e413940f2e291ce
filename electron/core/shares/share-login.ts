import { FALLBACK_SSH_USER, kindDefaultUser } from '../../../shared/kind-users';
import { AppError } from '../../../shared/rpc-errors';
import type { LabsService } from '../labs/labs-service';
import type { SecretStore } from '../secrets/secret-store';
import { secretName, type ShareService } from './share-service';

export interface ShareLogin {
  username: string;
  password?: string;
}

/**
 * The login a share names for one of its nodes, password included (decrypted from the secret
 * store), for terminals the app opens on the owner's behalf: the owner-set user and password,
 * else the kind's containerlab default, else root without a password. The same rule the card
 * follows, minus "include credentials" (that only decides what the audience is shown).
 */
export function createShareLogins(d: { shares: Pick<ShareService, 'get'>; secrets: Pick<SecretStore, 'get'>; labs: Pick<LabsService, 'findNode'> }) {
  return (shareId: string, t: { host: string; lab: string; node: string }): ShareLogin => {
    const s = d.shares.get(shareId);
    const port = s.ports.find((p) => p.node === t.node);
    if (s.host !== t.host || s.lab !== t.lab || !port) {
      throw new AppError('invalid_params', `share "${s.title}" has no port on node ${t.node} of lab ${t.lab}`, `its nodes: ${[...new Set(s.ports.map((p) => p.node))].join(', ')} (lab ${s.lab})`, 'login');
    }
    const own = s.credentials.find((c) => c.node === t.node);
    if (own) return own.hasPassword ? { username: own.user, password: d.secrets.get(secretName(shareId, t.node)) } : { username: own.user };
    const kind = d.labs.findNode(t.host, t.lab, t.node)?.kind ?? port.kind;
    const fallback = kindDefaultUser(kind);
    return fallback ? { username: fallback.user, password: fallback.password } : { username: FALLBACK_SSH_USER };
  };
}
