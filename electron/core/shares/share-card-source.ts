import type { Publication, Tunnel, TunnelState } from '../../../shared/model';
import type { CardInput, CardPortStatus } from '../../../shared/share-card-model';
import { FALLBACK_SSH_USER, kindDefaultUser } from '../../../shared/kind-users';
import { shareStateAt } from '../../../shared/share-model';
import type { StoredShare } from './share-store';

const STATUS: Record<TunnelState, CardPortStatus> = {
  pending: 'starting',
  connecting: 'starting',
  reconnecting: 'starting',
  online: 'online',
  degraded: 'online',
  'waiting-for-node': 'waiting-for-node',
  failed: 'closed',
  stopped: 'closed',
};

export interface CardFacts {
  publications: readonly Publication[];
  /** Running tunnels; absent when read from the data folder (the CLI): statuses are unknown. */
  tunnels?: readonly Tunnel[];
  /** The node's kind now, when its lab runs. */
  kindOf?: (node: string) => string | undefined;
  /** Owner-set password of a node (from the secret store). */
  password: (node: string) => string | undefined;
  /** Provider kind by id (`local`, `ssh`, `border0`). */
  providerKind: (id: string) => string;
  now: number;
}

/** What the card builder needs, gathered from the share, its publications and their tunnels. */
export function cardInputOf(s: StoredShare, f: CardFacts): CardInput {
  const state = shareStateAt(s, f.now);
  const ended = state === 'expired' || state === 'revoked';
  return {
    shareId: s.id,
    title: s.title,
    host: s.host,
    lab: s.lab,
    state,
    expiresAt: s.expiresAt,
    endedAt: s.revokedAt ?? s.expiredAt ?? (state === 'expired' ? s.expiresAt : undefined),
    link: s.link,
    includeCredentials: s.includeCredentials,
    ports: s.ports.map((p) => {
      const pub = f.publications.find((x) => x.host === s.host && x.lab === s.lab && x.node === p.node && x.port === p.port);
      const tunnel = pub && f.tunnels?.find((t) => t.publicationId === pub.id);
      const kind = f.kindOf?.(p.node) ?? p.kind;
      const own = s.credentials.find((c) => c.node === p.node);
      const user = own?.user ?? kindDefaultUser(kind)?.user ?? FALLBACK_SSH_USER;
      const password = s.includeCredentials ? ((own?.hasPassword ? f.password(p.node) : undefined) ?? (own ? undefined : kindDefaultUser(kind)?.password)) : undefined;
      const live = tunnel?.endpoint && (tunnel.state === 'online' || tunnel.state === 'degraded' || tunnel.state === 'waiting-for-node') ? tunnel.endpoint : undefined;
      const status: CardPortStatus = !pub ? 'not-published' : ended ? 'closed' : !f.tunnels ? 'unknown' : tunnel ? STATUS[tunnel.state] : 'starting';
      const provider = pub?.provider;
      return {
        node: p.node,
        kind,
        port: p.port,
        type: pub?.type,
        provider,
        access: pub?.access,
        endpoint: live ?? p.lastEndpoint,
        status,
        rules: p.allow ?? s.allow,
        rulesEnforced: !provider || f.providerKind(provider) !== 'border0',
        user,
        password,
      };
    }),
  };
}
