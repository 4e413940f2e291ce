import { useConnectionStore } from '../stores/use-connection-store';
import { useHostsStore } from '../stores/use-hosts-store';
import { useLabsStore } from '../stores/use-labs-store';
import { labKey, useUiStore } from '../stores/use-ui-store';
import { useSelectedLab } from './use-selected-lab';

function EmptyLabs() {
  const loaded = useLabsStore((s) => s.loaded);
  const dockerDown = useHostsStore((s) => s.items.some((h) => h.state === 'unreachable'));
  const connected = useConnectionStore((s) => s.state === 'open' || s.state === 'connecting');
  if (!loaded) return <p className="muted sidebar-empty">{connected ? 'Loading labs…' : 'Waiting for the host…'}</p>;
  return (
    <div className="sidebar-empty" data-testid="labs-empty">
      <p>
        <strong>No running labs.</strong>
      </p>
      <p>Containerlab labs appear here as soon as their containers run, for example after</p>
      <pre>sudo containerlab deploy -t lab.clab.yml</pre>
      <p className="muted">
        {dockerDown
          ? 'Docker is unreachable right now; see the banner above.'
          : 'The app watches Docker live: nothing to refresh.'}
      </p>
    </div>
  );
}

/** Labs on every host; the selected one fills the node table. */
export function LabSidebar() {
  const labs = useLabsStore((s) => s.items);
  const select = useUiStore((s) => s.selectLab);
  const selected = useSelectedLab();
  return (
    <nav className="sidebar" aria-label="Labs">
      <h2 className="sidebar-title">Labs</h2>
      {labs.length === 0 ? <EmptyLabs /> : null}
      <ul className="lab-list">
        {labs.map((lab) => {
          const key = labKey(lab.host, lab.name);
          const running = lab.nodes.filter((n) => n.state === 'running').length;
          const active = selected ? labKey(selected.host, selected.name) === key : false;
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
                <span className="lab-name">{lab.name}</span>
                <span className={`lab-count${running < lab.nodes.length ? ' is-partial' : ''}`}>
                  {running}/{lab.nodes.length}
                </span>
                <span className="lab-host muted">{lab.host}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
