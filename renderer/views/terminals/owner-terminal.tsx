import { useEffect, useRef, useState } from 'react';
import type { TerminalSessionInfo } from '../../../shared/terminal-model';
import { useOwnerTerminalsStore, useTerminalSessionsStore } from '../../stores/use-terminals-store';
import { useSharesStore } from '../../stores/use-shares-store';
import { useUiStore } from '../../stores/use-ui-store';
import { ApiError } from '../../api/api-error';
import { useAction } from '../../lib/use-action';
import { closeTerminal, setBroadcast } from './actions';
import { linkTerminal } from './terminal-link';
import { useXterm } from './use-xterm';

/** Watch mode: the owner's terminal shown read-only to one share's audience. */
function BroadcastToggle({ id, lab, host }: { id: string; lab: string; host: string }) {
  const info = useTerminalSessionsStore((s) => s.items.find((i) => i.id === id));
  const shares = useSharesStore((s) => s.items).filter((s) => s.state === 'open' || s.state === 'expiring');
  const broadcast = useAction(setBroadcast, { failure: 'Watch mode', exclusive: false });
  // Shares of this node's lab first: the usual case is an instructor showing the class's lab.
  const sorted = [...shares].sort((a, b) => Number(b.lab === lab && b.host === host) - Number(a.lab === lab && a.host === host));
  const [choice, setChoice] = useState(info?.broadcastTo ?? sorted[0]?.id ?? '');
  // Shown at once while the core confirms (the session's own state follows with the answer).
  const [asked, setAsked] = useState<boolean | null>(null);
  const on = asked ?? !!info?.broadcast;
  const set = (shareId: string | null) => {
    setAsked(shareId !== null);
    void broadcast.run(id, shareId).then(() => setAsked(null));
  };
  if (!sorted.length) return <span className="muted" title="Share a lab to show this terminal to its audience">No open share to broadcast to</span>;
  return (
    <span className="broadcast-toggle">
      <label className="field-check" title="The audience sees this terminal live and cannot type in it">
        <input type="checkbox" checked={on} disabled={broadcast.busy} onChange={(e) => set(e.target.checked ? choice : null)} data-testid="terminal-broadcast" />
        <span>Broadcast to the audience of share</span>
      </label>
      <select value={on && info?.broadcastTo ? info.broadcastTo : choice} onChange={(e) => (setChoice(e.target.value), on && set(e.target.value))} aria-label="Share to broadcast to" data-testid="terminal-broadcast-share">
        {sorted.map((s) => (
          <option key={s.id} value={s.id}>
            {s.title}
          </option>
        ))}
      </select>
      {on && info?.broadcast ? <span className="badge tone-busy" data-testid="terminal-spectators">{info.spectators} watching</span> : null}
    </span>
  );
}

/** One of the owner's terminals: xterm.js wired to the session, its state, watch mode, close. Lazy-loaded (xterm.js). */
export default function OwnerTerminal({ opened }: { opened: TerminalSessionInfo }) {
  const id = opened.id;
  const ref = useRef<HTMLDivElement>(null);
  const term = useXterm(ref, { fit: true });
  const info = useTerminalSessionsStore((s) => s.items.find((i) => i.id === id));
  const [ended, setEnded] = useState<string | null>(null);
  const remove = useOwnerTerminalsStore((s) => s.remove);
  const showError = useUiStore((s) => s.showError);
  useEffect(() => {
    if (!term) return;
    // Just opened: bring it into view (xterm.js also draws nothing while off screen).
    ref.current?.scrollIntoView({ block: 'nearest' });
    term.focus();
    return linkTerminal(term, id, {
      ended: (reason) => {
        term.write(`\r\n\x1b[33m[session ended: ${reason}]\x1b[0m\r\n`);
        setEnded(reason);
      },
      failed: (err) => {
        if (err instanceof ApiError && err.code === 'not_found') return setEnded('the session is gone');
        showError(err, 'Terminal');
      },
    });
  }, [term, id, showError]);
  const shown = info ?? opened;
  const closing = useAction(closeTerminal, { failure: 'Closing the terminal failed' });
  const close = () => (ended ? remove(id) : void closing.run(id));
  return (
    <div className="owner-terminal" data-testid="owner-terminal" data-session={id} data-ended={ended ? 'true' : undefined}>
      <div className="owner-terminal-head">
        <span className="mono">
          {shown.node} (lab {shown.lab}
          {shown.host !== 'local' ? ` on ${shown.host}` : ''}) · {shown.via === 'ssh' ? 'SSH' : 'engine shell'}
        </span>
        {info ? <span className="muted">{info.cols}×{info.rows}</span> : null}
        {info?.recordingId ? <span className="badge tone-bad" title="This session is recorded (asciicast)">● rec</span> : null}
        {ended ? <span className="muted" data-testid="terminal-ended">ended: {ended}</span> : null}
        <span className="spacer" />
        {info && !ended ? <BroadcastToggle id={id} lab={info.lab} host={info.host} /> : null}
        <button type="button" className="btn btn-small" onClick={close} disabled={closing.busy} data-testid="terminal-close" title={ended ? 'Remove this terminal from the view' : 'End the session'}>
          {ended ? 'Dismiss' : 'Close'}
        </button>
      </div>
      <div className="owner-terminal-screen" ref={ref} data-testid="owner-terminal-screen" />
    </div>
  );
}
