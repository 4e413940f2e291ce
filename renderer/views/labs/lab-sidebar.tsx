import { useMemo } from 'react';
import { useConnectionStore } from '../../stores/use-connection-store';
import { useHostsStore } from '../../stores/use-hosts-store';
import { useLabsStore } from '../../stores/use-labs-store';
import { labKey } from '../../stores/use-ui-store';
import { HostGroup, type HostRef } from './host-group';
import { HostsSection } from '../hosts/hosts-section';
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

/** Labs grouped under their host; the selected one fills the node table. */
export function LabSidebar() {
  const labs = useLabsStore((s) => s.items);
  const hosts = useHostsStore((s) => s.items);
  const selected = useSelectedLab();
  const groups = useMemo(() => {
    const list: HostRef[] = [...hosts];
    // Labs of a host the list does not name yet (it arrives by its own event) still show.
    for (const lab of labs) {
      if (!list.some((h) => h.id === lab.host)) list.push({ id: lab.host, label: lab.host, kind: lab.host === 'local' ? 'local' : 'ssh', state: 'connecting' });
    }
    return list.map((host) => ({ host, labs: labs.filter((l) => l.host === host.id) }));
  }, [hosts, labs]);
  const current = selected ? labKey(selected.host, selected.name) : undefined;

  return (
    <nav className="sidebar" aria-label="Labs">
      <h2 className="sidebar-title">Labs</h2>
      <ul className="host-list">
        {groups.map((g) => (
          <HostGroup key={g.host.id} host={g.host} labs={g.labs} selected={current} />
        ))}
      </ul>
      {labs.length === 0 ? <EmptyLabs /> : null}
      <HostsSection />
    </nav>
  );
}
