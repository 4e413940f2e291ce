import { lazy, Suspense, useEffect, useRef } from 'react';
import { useOwnerTerminalsStore, useRecordingsStore, useTerminalSessionsStore } from '../../stores/use-terminals-store';
import { OpenTerminalForm } from './open-terminal-form';
import { RecordingsList } from './recordings-list';
import { SessionsTable } from './sessions-table';

// xterm.js is loaded when the first terminal opens, not with the app.
const OwnerTerminal = lazy(() => import('./owner-terminal'));

/** The owner's terminals, every open session (attendees' too) and the recordings. */
export function TerminalsSection() {
  const open = useOwnerTerminalsStore((s) => s.open);
  const active = useOwnerTerminalsStore((s) => s.active);
  const activate = useOwnerTerminalsStore((s) => s.activate);
  const prefill = useOwnerTerminalsStore((s) => s.prefill);
  const sessions = useTerminalSessionsStore((s) => s.items);
  const recordings = useRecordingsStore((s) => s.items.length);
  const ref = useRef<HTMLElement>(null);
  // Opened from a share view: bring the form into view.
  useEffect(() => {
    if (prefill) ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [prefill]);
  return (
    <section className="panel terminals" aria-labelledby="terminals-title" data-testid="terminals-section" ref={ref}>
      <header className="panel-header">
        <h2 id="terminals-title">
          Terminals <span className="muted">— {sessions.length} open · {recordings} recorded</span>
        </h2>
      </header>
      <div className="terminals-body">
        <OpenTerminalForm key={prefill?.nonce ?? 0} prefill={prefill} />
        {open.length ? (
          <div className="terminal-tabs" role="tablist">
            {open.map((o) => {
              const live = sessions.some((x) => x.id === o.id);
              return (
                <button key={o.id} type="button" role="tab" aria-selected={o.id === active} className={`terminal-tab${o.id === active ? ' is-active' : ''}${live ? '' : ' is-ended'}`} onClick={() => activate(o.id)} title={live ? undefined : 'ended'}>
                  {o.node}
                </button>
              );
            })}
          </div>
        ) : null}
        {open.length ? (
          <Suspense fallback={<p className="muted">Loading the terminal…</p>}>
            {open.map((o) => (
              <div key={o.id} hidden={o.id !== active}>
                <OwnerTerminal opened={o} />
              </div>
            ))}
          </Suspense>
        ) : null}
        <h3 className="terminals-subtitle">Open sessions</h3>
        <SessionsTable />
        <h3 className="terminals-subtitle">Recordings</h3>
        <RecordingsList />
      </div>
    </section>
  );
}

/** For the share view: open a terminal on one of the share's nodes, with the share's login. */
export function ShareTerminalLinks({ share }: { share: { id: string; host: string; lab: string; ports: { node: string }[] } }) {
  const openFor = useOwnerTerminalsStore((s) => s.openFor);
  const sessions = useTerminalSessionsStore((s) => s.items.filter((x) => x.shareId === share.id || x.broadcastTo === share.id).length);
  const nodes = [...new Set(share.ports.map((p) => p.node))];
  return (
    <div className="share-terminals" data-testid="share-terminals">
      <span className="muted">Terminals{sessions ? ` (${sessions} open)` : ''}:</span>
      {nodes.map((node) => (
        <button key={node} type="button" className="btn-link" onClick={() => openFor({ host: share.host, lab: share.lab, node, shareId: share.id })} title={`Open a terminal on ${node} with the login this share stores`}>
          {node}
        </button>
      ))}
    </div>
  );
}
