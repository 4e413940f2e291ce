import { useState } from 'react';
import type { LabHostStatus } from '../../../shared/model';
import { ConfirmButton } from '../../components/confirm-button';
import { toneOf } from '../../components/state-badge';
import { useAction } from '../../lib/use-action';
import { useHostsStore } from '../../stores/use-hosts-store';
import { useUiStore } from '../../stores/use-ui-store';
import { removeHost } from './actions';
import { AddHostDialog } from './add-host-dialog';

function KeyState({ h }: { h: LabHostStatus }) {
  const review = useUiStore((s) => s.reviewHostKey);
  const k = h.hostKey;
  if (k?.state === 'mismatch') return <span className="host-key is-bad" title="The host's SSH key changed; see the warning above">key changed</span>;
  if (k?.state !== 'unknown') return null;
  return (
    <button type="button" className="btn-link host-key is-warn" onClick={() => review(k.fingerprint ?? '')} title="Show the host key prompt" data-testid={`host-review-${h.id}`}>
      trust key…
    </button>
  );
}

function RemoteHost({ h, onRemove }: { h: LabHostStatus; onRemove: (h: LabHostStatus) => Promise<unknown> }) {
  return (
    <li className="host-row" data-testid={`host-${h.id}`} title={h.error ? `${h.address ?? ''} — ${h.error}` : h.address}>
      <span className={`dot tone-${toneOf(h.state)}`} aria-hidden="true" />
      <span className="host-row-text">
        <span className="host-label">{h.label}</span>
        <span className="host-address mono">{h.address}</span>
      </span>
      <KeyState h={h} />
      <ConfirmButton onConfirm={() => onRemove(h)} title={`Remove lab host ${h.label}`} testId={`host-remove-${h.id}`}>
        Remove
      </ConfirmButton>
    </li>
  );
}

/** Lab hosts reached over SSH: add, remove, their host key state. */
export function HostsSection() {
  const remote = useHostsStore((s) => s.items).filter((h) => h.kind === 'ssh');
  const [adding, setAdding] = useState(false);
  const remove = useAction((h: LabHostStatus) => removeHost(h.id), { failure: (h) => `Removing ${h.label} failed`, exclusive: false });
  return (
    <section className="hosts-section" aria-labelledby="hosts-title">
      <div className="sidebar-title hosts-title">
        <h2 id="hosts-title">Hosts</h2>
        <button type="button" className="btn btn-small" onClick={() => setAdding(true)} data-testid="hosts-add" title="Add a lab host reached over SSH (its Docker and node ports go through that connection)">
          + Add host
        </button>
      </div>
      {remote.length === 0 ? <p className="help sidebar-empty">Labs on other machines: add them as ssh://user@host.</p> : null}
      <ul className="host-rows">
        {remote.map((h) => (
          <RemoteHost key={h.id} h={h} onRemove={remove.run} />
        ))}
      </ul>
      {adding ? <AddHostDialog onClose={() => setAdding(false)} /> : null}
    </section>
  );
}
