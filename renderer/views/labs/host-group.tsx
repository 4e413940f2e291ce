import type { Lab, LabHostStatus } from '../../../shared/model';
import { toneOf } from '../../components/state-badge';
import { formatMs } from '../../lib/format';
import { useLabTopology } from '../../stores/use-topology-store';
import { labKey, useUiStore } from '../../stores/use-ui-store';

/** A host from the list, or a stand-in for a host the labs name but the list does not (yet). */
export type HostRef = Pick<LabHostStatus, 'id' | 'label' | 'kind' | 'state'> & Partial<LabHostStatus>;

function hostTitle(h: HostRef): string {
  const parts = [h.kind === 'ssh' ? `${h.label}: Docker over SSH${h.address ? ` at ${h.address}` : ''}` : `${h.label}: this computer's Docker`, h.state];
  if (h.latencyMs !== undefined) parts.push(`round trip ${formatMs(h.latencyMs)}`);
  if (h.error) parts.push(`last error: ${h.error}`);
  if (h.hint) parts.push(h.hint);
  return parts.join(' — ');
}

/** "by alice" under a lab someone else deployed (its entries are not published automatically). */
function LabOwner({ lab }: { lab: Lab }) {
  const state = useLabTopology(lab.host, lab.name);
  // An unknown owner matters only where there is something to publish.
  if (!state || state.ownership.mine || (!state.owner && !state.report?.entries.length)) return null;
  return (
    <span className={`lab-owner${state.ownership.optedIn ? ' is-opted-in' : ''}`} data-testid="lab-owner" title={state.ownership.reason}>
      {state.owner ? `by ${state.owner}` : 'owner unknown'}
    </span>
  );
}

/** One lab host's heading (state, kind, latency) and its labs. */
export function HostGroup({ host, labs, selected }: { host: HostRef; labs: Lab[]; selected?: string }) {
  const select = useUiStore((s) => s.selectLab);
  const status = host.state === 'connected' ? (host.latencyMs !== undefined ? formatMs(host.latencyMs) : '') : host.state;
  return (
    <li className="host-group" data-testid={`host-group-${host.id}`} data-state={host.state}>
      <div className="host-heading" title={hostTitle(host)}>
        <span className={`dot tone-${toneOf(host.state)}`} aria-hidden="true" />
        <span className="host-label">{host.label}</span>
        <span className="host-kind">{host.kind}</span>
        <span className={`host-latency${host.state === 'connected' ? '' : ` is-${toneOf(host.state)}`}`} data-testid="host-latency">
          {status}
        </span>
      </div>
      {labs.length === 0 && host.kind === 'ssh' ? <div className="host-nolabs muted">no running labs</div> : null}
      <ul className="lab-list">
        {labs.map((lab) => {
          const key = labKey(lab.host, lab.name);
          const running = lab.nodes.filter((n) => n.state === 'running').length;
          const active = selected === key;
          return (
            <li key={key}>
              <button
                type="button"
                className={`lab-item${active ? ' is-selected' : ''}`}
                aria-current={active ? 'true' : undefined}
                onClick={() => select(key)}
                data-testid={`lab-${lab.name}`}
                title={lab.topologyFile ? `${lab.name} (${lab.topologyFile})` : lab.name}
              >
                <span className="lab-name">
                  {lab.name}
                  <LabOwner lab={lab} />
                </span>
                <span className={`lab-count${running < lab.nodes.length ? ' is-partial' : ''}`}>
                  {running}/{lab.nodes.length}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </li>
  );
}
