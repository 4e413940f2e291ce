import { useState, type FormEvent } from 'react';
import type { Attendee, IssuedLink, ShareAudience } from '../../../shared/audience-model';
import type { Share } from '../../../shared/share-model';
import { ConfirmButton } from '../../components/confirm-button';
import { useAction } from '../../lib/use-action';
import { addAttendee, reissueAttendee, removeAttendee, revokeAttendee } from './actions';
import { AudienceTerminals } from './audience-terminals';
import { IssuedLinkPanel } from './issued-link';
import { useAudience } from './use-audience';

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function stateText(a: Attendee): string {
  switch (a.state) {
    case 'revoked':
      return `revoked ${clock(a.revokedAt!)}`;
    case 'active':
      return `active now${a.sessions ? ` · ${a.sessions} terminal(s)` : ''}`;
    case 'seen':
      return `last seen ${clock(a.lastSeenAt!)}`;
    case 'never-opened':
      return 'never opened';
  }
}

type Issue = (make: () => Promise<IssuedLink>) => void;

function AttendeeRow({ share, a, issue }: { share: Share; a: Attendee; issue: Issue }) {
  const revoke = useAction(revokeAttendee, { failure: `Revoking ${a.name}'s link failed` });
  const remove = useAction(removeAttendee, { failure: `Removing ${a.name} failed` });
  return (
    <tr data-testid={`attendee-${a.name}`} data-state={a.state}>
      <td>
        <b>{a.name}</b>
        {a.kind === 'anyone' ? <span className="muted"> (one link for everyone)</span> : null}
      </td>
      <td data-testid="attendee-state" className={a.state === 'active' ? 'tone-ok' : a.state === 'revoked' ? 'muted' : undefined}>
        {stateText(a)}
      </td>
      <td className="nowrap">
        <button type="button" className="btn btn-small" onClick={() => issue(() => reissueAttendee(share.id, a.id))} title="Make a new link and QR code; the old link stops working" data-testid="attendee-reissue">
          {a.state === 'revoked' ? 'Let in again' : 'New link'}
        </button>
        {a.state !== 'revoked' ? (
          <ConfirmButton onConfirm={() => void revoke.run(share.id, a.id)} title={`Revoke ${a.name}'s link: their page and terminals end at once`} testId="attendee-revoke">
            Revoke
          </ConfirmButton>
        ) : (
          <ConfirmButton onConfirm={() => void remove.run(share.id, a.id)} title={`Forget ${a.name}`} testId="attendee-remove">
            Remove
          </ConfirmButton>
        )}
      </td>
    </tr>
  );
}

function AddAttendee({ share, audience, issue }: { share: Share; audience: ShareAudience; issue: Issue }) {
  const [name, setName] = useState('');
  const hasAnyone = audience.attendees.some((a) => a.kind === 'anyone' && a.state !== 'revoked');
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    const n = name.trim();
    issue(() => addAttendee({ id: share.id, name: n }));
    setName('');
  };
  return (
    <form className="audience-add" onSubmit={add}>
      <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="Attendee's name" maxLength={100} aria-label="Attendee's name" data-testid="attendee-name" />
      <button type="submit" className="btn btn-small btn-primary" disabled={!name.trim()} data-testid="attendee-add">
        Add attendee
      </button>
      <button type="button" className="btn btn-small" disabled={hasAnyone} onClick={() => issue(() => addAttendee({ id: share.id, anyone: true }))} title={hasAnyone ? 'This share already has one' : 'One link for a whole room (a projector QR code)'} data-testid="attendee-add-anyone">
        Anyone with the link
      </button>
    </form>
  );
}

function PageLine({ audience }: { audience: ShareAudience }) {
  const p = audience.page;
  if (p.state === 'off') return <p className="muted" data-testid="audience-page">Add an attendee and the share gets its page, published like its ports.</p>;
  return (
    <p data-testid="audience-page" data-state={p.state}>
      Page {p.state === 'online' ? 'online' : p.state}
      {p.link ? (
        <>
          {' '}
          at <code className="mono">{p.link}</code>
        </>
      ) : null}
      {p.provider ? <span className="muted"> via {p.provider}</span> : null}
      {p.reason ? <span className="muted"> — {p.reason}</span> : null}
    </p>
  );
}

/** Who the share is for: attendees and their links, the page, what the page may open. */
export function ShareAudienceView({ share }: { share: Share }) {
  const { audience, error } = useAudience(share.id);
  const [issued, setIssued] = useState<IssuedLink>();
  const making = useAction((make: () => Promise<IssuedLink>) => make(), { failure: 'Making the link failed', then: setIssued });
  const issue: Issue = (make) => void making.run(make);
  if (!audience) return <p className="muted">{error ?? 'Loading the audience…'}</p>;
  return (
    <section className="share-audience" aria-label="Audience" data-testid="share-audience">
      <div className="share-card-head">
        <h4>Audience</h4>
        <PageLine audience={audience} />
      </div>
      {issued ? <IssuedLinkPanel issued={issued} pageLink={audience.page.link} onDone={() => setIssued(undefined)} /> : null}
      {audience.attendees.length ? (
        <table className="data-table" data-testid="attendees">
          <thead>
            <tr>
              <th>Attendee</th>
              <th>Link</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {audience.attendees.map((a) => (
              <AttendeeRow key={a.id} share={share} a={a} issue={issue} />
            ))}
          </tbody>
        </table>
      ) : null}
      <AddAttendee share={share} audience={audience} issue={issue} />
      <AudienceTerminals share={share} settings={audience.settings} />
    </section>
  );
}
