import { useDeferredValue, useMemo, useState } from 'react';
import { LOG_LEVELS, type LogLevel } from '../../shared/model';
import { useLogsStore } from '../stores/use-logs-store';
import { useTunnelsStore } from '../stores/use-tunnels-store';
import { useUiStore } from '../stores/use-ui-store';
import { LogRows } from './log-rows';

/** Rendered at most; the filter applies to everything kept in memory. */
const MAX_ROWS = 500;

/** Newest log entries of tunnels and subsystems, filtered, following the tail. */
export function LogsPanel() {
  const open = useUiStore((s) => s.logsOpen);
  const toggle = useUiStore((s) => s.toggleLogs);
  const entries = useLogsStore((s) => s.entries);
  const tunnels = useTunnelsStore((s) => s.items);
  const [tunnelId, setTunnelId] = useState('');
  const [level, setLevel] = useState<LogLevel>('debug');
  const [text, setText] = useState('');
  const [follow, setFollow] = useState(true);
  const needle = useDeferredValue(text.trim().toLowerCase());

  const { rows, matching } = useMemo(() => {
    const min = LOG_LEVELS.indexOf(level);
    const all = entries.filter(
      (e) =>
        (!tunnelId || e.tunnelId === tunnelId) &&
        LOG_LEVELS.indexOf(e.level) >= min &&
        (!needle || e.message.toLowerCase().includes(needle) || e.source.toLowerCase().includes(needle)),
    );
    return { rows: all.slice(-MAX_ROWS), matching: all.length };
  }, [entries, tunnelId, level, needle]);

  return (
    <section className={`logs-panel${open ? '' : ' is-collapsed'}`} data-testid="logs-panel" aria-label="Logs">
      <header className="logs-header">
        <button type="button" className="btn-flat" onClick={toggle} aria-expanded={open} data-testid="logs-toggle" title={open ? 'Collapse the logs' : 'Show the logs'}>
          {open ? '▾' : '▸'} Logs <span className="muted">({entries.length})</span>
        </button>
        {open ? (
          <div className="logs-filters">
            <select value={tunnelId} onChange={(e) => setTunnelId(e.target.value)} aria-label="Filter by tunnel" data-testid="logs-tunnel" title="Show one tunnel's entries">
              <option value="">all sources</option>
              {tunnels.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            <select value={level} onChange={(e) => setLevel(e.target.value as LogLevel)} aria-label="Minimum level" data-testid="logs-level" title="Minimum level">
              {LOG_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l === 'debug' ? 'all levels' : l === 'error' ? 'error' : `${l} and above`}
                </option>
              ))}
            </select>
            <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="filter text" aria-label="Filter by text" data-testid="logs-text" />
            <label className="check" title="Keep scrolled to the newest entry">
              <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} data-testid="logs-follow" /> follow
            </label>
            <span className="muted">
              {matching > rows.length ? `last ${rows.length} of ${matching}` : `${matching} shown`}
            </span>
          </div>
        ) : null}
      </header>
      {open ? <LogRows rows={rows} follow={follow} onFollowChange={setFollow} /> : null}
    </section>
  );
}
