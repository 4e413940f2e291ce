import type { Publication } from '../../../shared/model';
import { isShareEnded, shareStateAt, sharePortKey } from '../../../shared/share-model';
import { formatWhen } from '../../../shared/share-time';
import type { ConnectionGate, GateDecision } from '../tunnels/connection-gate';
import { Emitter } from '../util/emitter';
import { AllowList, parsePeer } from './allow-list';
import type { ShareAuditLog } from './share-audit-log';
import type { StoredShare } from './share-store';

interface Entry {
  share: StoredShare;
  node: string;
  port: number;
  rules: AllowList;
}

const keyOf = (host: string, lab: string, node: string, port: number) => `${host}|${lab}|${node}|${port}`;

/** Why an ended share's ports stay closed, in the words the tunnel row and the log show. */
export function heldReason(s: StoredShare, now: number): string | undefined {
  const state = shareStateAt(s, now);
  if (!isShareEnded(state)) return undefined;
  return state === 'revoked'
    ? `sharing "${s.title}" was stopped ${formatWhen(s.revokedAt!)}; remove the share or extend it to reopen this port`
    : `share "${s.title}" expired ${formatWhen(s.expiredAt ?? s.expiresAt!)}; extend it to reopen this port`;
}

/**
 * The shares as the tunnels see them (ConnectionGate): which publications stay closed and which
 * connections may pass. An index by node port, rebuilt when shares change, so the accept path
 * is one map lookup and one BlockList check.
 */
export class ShareGate implements ConnectionGate {
  private index = new Map<string, Entry>();
  /** Each share's own rules (not a port's): what its audience page admits. */
  private shareRules = new Map<string, { share: StoredShare; rules: AllowList }>();
  private readonly emitter = new Emitter<{ changed: void }>();

  constructor(
    private readonly deps: {
      audit: (shareId: string) => ShareAuditLog | undefined;
      /** Whether the publication's provider can enforce source rules (local, ssh: yes; border0: no). */
      enforcesSources: (providerId: string) => boolean;
      now: () => number;
    },
  ) {}

  /** The shares changed: rebuild the index and let the reconciler look again. */
  update(shares: readonly StoredShare[]): void {
    const next = new Map<string, Entry>();
    const own = new Map<string, { share: StoredShare; rules: AllowList }>();
    for (const share of shares) {
      const shared = new AllowList(share.allow);
      own.set(share.id, { share, rules: shared });
      for (const p of share.ports) {
        next.set(keyOf(share.host, share.lab, p.node, p.port), { share, node: p.node, port: p.port, rules: p.allow !== undefined ? new AllowList(p.allow) : shared });
      }
    }
    this.index = next;
    this.shareRules = own;
    this.emitter.emit('changed', undefined);
  }

  hold(pub: Publication): string | undefined {
    const e = this.index.get(keyOf(pub.host, pub.lab, pub.node, pub.port));
    return e && heldReason(e.share, this.deps.now());
  }

  admit(pub: Publication, from: string): GateDecision {
    const e = this.index.get(keyOf(pub.host, pub.lab, pub.node, pub.port));
    if (!e) return { allowed: true };
    const peer = parsePeer(from);
    const audit = this.deps.audit(e.share.id);
    const refuse = (reason: string): GateDecision => {
      audit?.refused(e.node, e.port, peer, reason);
      return { allowed: false, reason };
    };
    const held = heldReason(e.share, this.deps.now());
    if (held) return refuse(held);
    if (e.rules.size && this.deps.enforcesSources(pub.provider) && !e.rules.admits(peer.address)) {
      return refuse(`${peer.address} is not on the allow-list of share "${e.share.title}" for ${sharePortKey(e.node, e.port)}`);
    }
    return { allowed: true, watch: audit?.admitted(e.node, e.port, peer) };
  }

  /**
   * A connection to the share's audience page, judged by the share's own source rules when
   * the page's provider enforces them. An ended share's page still answers (it says the
   * share has ended), so the share's state is not asked here.
   */
  admitPage(shareId: string, from: string, providerId: string): { allowed: true } | { allowed: false; reason: string } {
    const e = this.shareRules.get(shareId);
    if (!e) return { allowed: false, reason: 'the share no longer exists' };
    const peer = parsePeer(from);
    if (!e.rules.size || !this.deps.enforcesSources(providerId) || e.rules.admits(peer.address)) return { allowed: true };
    const reason = `${peer.address} is not on the allow-list of share "${e.share.title}" (its audience page)`;
    this.deps.audit(shareId)?.refusedActivity({ kind: 'page', node: '', port: 0, peer }, reason);
    return { allowed: false, reason };
  }

  /** Whether `address` may still use the share's port (after its rules changed). */
  stillAdmits(shareId: string, node: string, port: number, address: string): boolean {
    for (const e of this.index.values()) if (e.share.id === shareId && e.node === node && e.port === port) return e.rules.admits(address);
    return false;
  }

  onChanged(listener: () => void): () => void {
    return this.emitter.on('changed', listener);
  }

  dispose(): void {
    this.emitter.clear();
  }
}
