import type { Publication, Tunnel, TunnelState } from './model';
import { border0SocketName } from './border0-sockets';
import { socketName } from './publish-defaults';


/**
 * The tunnel row of a publication: what the publication itself says (names, node, type,
 * where it came from) plus `live`, what running it showed. One place, so a running tunnel,
 * a parked one (its host removed) and a pending one (the UI's, before the core answers)
 * never disagree on a field. `live` overrides field by field (leave out what it does not know).
 */
export function tunnelOf(p: Publication, state: TunnelState, live: Partial<Omit<Tunnel, 'state'>> = {}): Tunnel {
  return {
    id: p.id,
    publicationId: p.id,
    // border0's own name for the socket (shared/border0-sockets.ts); the original feature's otherwise.
    name: p.provider === 'border0' ? border0SocketName(p) : socketName(p.node, p.type, p.port),
    host: p.host,
    lab: p.lab,
    node: p.node,
    port: p.port,
    type: p.type,
    provider: p.provider,
    access: p.access,
    counters: { open: 0, total: 0, bytesIn: 0, bytesOut: 0 },
    origin: p.origin,
    source: p.source,
    since: p.createdAt,
    ...live,
    state,
  };
}
