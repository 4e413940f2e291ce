import { useState } from 'react';
import { IDLE_TIMEOUT_MAX_MIN, MAX_SESSIONS_LIMIT, type AudienceSettings, type TerminalGrant } from '../../../shared/audience-model';
import type { Share } from '../../../shared/share-model';
import { useAction } from '../../lib/use-action';
import { useLabsStore } from '../../stores/use-labs-store';
import { setAudience } from './actions';

type Via = '' | TerminalGrant['via'];

/** Which nodes the page opens a browser terminal to (off by default), and the limits of those terminals. */
export function AudienceTerminals({ share, settings }: { share: Share; settings: AudienceSettings }) {
  // Independent changes (two nodes switched in a row) may overlap: each names its own node.
  const saving = useAction(setAudience, { failure: 'Saving the terminal settings failed', exclusive: false });
  const lab = useLabsStore((s) => s.items.find((l) => l.host === share.host && l.name === share.lab));
  const nodes = [...new Set([...(lab?.nodes.map((n) => n.name) ?? []), ...share.ports.map((p) => p.node)])].sort();
  const [maxSessions, setMaxSessions] = useState(String(settings.maxSessions));
  const [idle, setIdle] = useState(String(settings.idleTimeoutMin));
  const save = (p: Partial<{ terminal: { node: string; via: TerminalGrant['via'] | 'off' }; maxSessions: number; idleTimeoutMin: number; record: boolean }>) => saving.run({ id: share.id, ...p });
  // One node at a time: a second change made before the first one's answer never undoes it.
  const setVia = (node: string, via: Via) => save({ terminal: { node, via: via || 'off' } });
  return (
    <div className="audience-terminals" data-testid="audience-terminals">
      <h4>Browser terminals</h4>
      <div className="audience-term-nodes">
        {nodes.map((node) => (
          <label key={node} className="field-inline">
            <span className="mono">{node}</span>
            <select value={settings.terminals.find((t) => t.node === node)?.via ?? ''} onChange={(e) => void setVia(node, e.target.value as Via)} data-testid={`audience-terminal-${node}`}>
              <option value="">off</option>
              <option value="ssh">SSH (the logins below)</option>
              <option value="engine">container shell</option>
            </select>
          </label>
        ))}
      </div>
      <div className="audience-limits">
        <label className="field-inline">
          at most
          <input type="number" min={1} max={MAX_SESSIONS_LIMIT} value={maxSessions} onChange={(e) => setMaxSessions(e.target.value)} onBlur={() => Number(maxSessions) !== settings.maxSessions && void save({ maxSessions: Number(maxSessions) })} data-testid="audience-max-sessions" aria-label="Terminals per attendee" />
          terminal(s) per attendee
        </label>
        <label className="field-inline">
          closed after
          <input type="number" min={1} max={IDLE_TIMEOUT_MAX_MIN} value={idle} onChange={(e) => setIdle(e.target.value)} onBlur={() => Number(idle) !== settings.idleTimeoutMin && void save({ idleTimeoutMin: Number(idle) })} data-testid="audience-idle" aria-label="Idle timeout in minutes" />
          min idle
        </label>
        <label className="field-check">
          <input type="checkbox" checked={settings.record} onChange={(e) => void save({ record: e.target.checked })} data-testid="audience-record" />
          <span>Record sessions</span>
        </label>
      </div>
      <p className="help">
        SSH logs in with the node&apos;s login under &quot;Logins on the card&quot; (its password never reaches the audience); the container shell goes through Docker and works on nodes without sshd.
      </p>
    </div>
  );
}
