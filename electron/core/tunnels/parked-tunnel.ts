import type { Publication, Tunnel } from '../../../shared/model';
import { socketName } from '../../../shared/publish-defaults';

/**
 * The row for a publication that cannot run: its lab host was removed from settings (or was
 * never in them on this machine). Nothing listens for it; the publication is kept so adding
 * the host again brings the tunnel back. `last` keeps the counters of the tunnel it was.
 */
export function parkedTunnel(pub: Publication, reason: string, last?: Tunnel): Tunnel {
  return {
    id: pub.id,
    publicationId: pub.id,
    name: socketName(pub.node, pub.type, pub.port),
    host: pub.host,
    lab: pub.lab,
    node: pub.node,
    port: pub.port,
    type: pub.type,
    provider: pub.provider,
    access: pub.access,
    state: 'stopped',
    reason,
    counters: last ? { ...last.counters, open: 0 } : { open: 0, total: 0, bytesIn: 0, bytesOut: 0 },
    origin: pub.origin,
    source: pub.source,
    lastError: last?.lastError,
    since: Date.now(),
  };
}

/** Why a publication's tunnel is parked, in words that say what to do. */
export function hostGoneReason(label: string, wasRunning: boolean): string {
  return wasRunning
    ? `lab host ${label} was removed; add it again under Hosts to bring this tunnel back`
    : `lab host ${label} is not in this app's settings; add it under Hosts to run this tunnel`;
}
