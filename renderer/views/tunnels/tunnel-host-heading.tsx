import type { LabHostStatus, Tunnel } from '../../../shared/model';
import { toneOf } from '../../components/state-badge';

/**
 * The heading row over one lab host's tunnels: which host, whether it is reachable, and how
 * many of its tunnels are online. A host no longer in settings says so (its rows are parked).
 */
export function TunnelHostHeading({ hostId, host, tunnels }: { hostId: string; host?: LabHostStatus; tunnels: Tunnel[] }) {
  const online = tunnels.filter((t) => t.state === 'online').length;
  const label = host ? host.label : hostId;
  const state = host ? host.state : 'not in Hosts';
  return (
    <div className="tunnel-host-heading" title={host?.address ?? (host ? "this computer's Docker" : 'not in Hosts any more')}>
      <span className={`dot tone-${toneOf(host ? host.state : 'stopped')}`} aria-hidden="true" />
      <span className="host-label">{hostId === 'local' ? 'This computer' : label}</span>
      {host?.kind === 'ssh' ? <span className="host-kind">ssh</span> : null}
      {state !== 'connected' ? <span className={`host-state is-${toneOf(host ? state : 'stopped')}`}>{state}</span> : null}
      <span className="muted">
        {online}/{tunnels.length} online
      </span>
    </div>
  );
}

/** Local first, then the hosts in settings order, then hosts that are gone. */
export function hostOrder(hosts: LabHostStatus[]): (id: string) => number {
  const rank = new Map(hosts.map((h, i) => [h.id, h.id === 'local' ? -1 : i]));
  return (id) => rank.get(id) ?? hosts.length;
}
