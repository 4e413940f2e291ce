import type { Publication, Tunnel } from '../../../shared/model';
import { tunnelOf } from '../../../shared/tunnel-of';

/**
 * The row for a publication that cannot run: its lab host was removed from settings (or was
 * never in them on this machine). Nothing listens for it; the publication is kept so adding
 * the host again brings the tunnel back. `last` keeps the counters of the tunnel it was.
 */
export function parkedTunnel(pub: Publication, reason: string, last?: Tunnel): Tunnel {
  const kept = last ? { counters: { ...last.counters, open: 0 }, lastError: last.lastError } : {};
  return tunnelOf(pub, 'stopped', { ...kept, reason, since: Date.now() });
}

/** Why a publication's tunnel is parked, in words that say what to do. */
export function hostGoneReason(label: string, wasRunning: boolean): string {
  return wasRunning
    ? `lab host ${label} was removed; add it again under Hosts to bring this tunnel back`
    : `lab host ${label} is not in this app's settings; add it under Hosts to run this tunnel`;
}
