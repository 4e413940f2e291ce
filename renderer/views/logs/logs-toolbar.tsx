import { useMemo } from 'react';
import { LOG_LEVELS, type LogLevel } from '../../../shared/model';
import type { ExportFormat } from '../../lib/log-export';
import type { LogSnapshot } from '../../lib/log-view';
import { useLogsStore } from '../../stores/use-logs-store';
import { useTunnelNames } from '../../stores/use-tunnels-store';

interface Props {
  snap: LogSnapshot;
  /** Entries that arrived since following stopped. */
  newCount: number;
  onError: (dir: 1 | -1) => void;
  onTail: () => void;
  onExport: (format: ExportFormat) => void;
}

const LEVEL_TITLE: Record<LogLevel, string> = {
  debug: 'Every entry, debug too: health probes (every 15 s per tunnel), Docker events, API calls',
  info: 'Info and above: connections, state changes (the default)',
  warn: 'Warnings and errors only',
  error: 'Errors only',
};

/** Minimum level as a row of buttons: each level, debug included, is one click away. */
function LevelChoice({ level, onChange }: { level: LogLevel; onChange: (level: LogLevel) => void }) {
  return (
    <span className="btn-group level-choice" role="radiogroup" aria-label="Minimum level" data-testid="logs-level" data-level={level}>
      {LOG_LEVELS.map((l) => (
        <button
          key={l}
          type="button"
          role="radio"
          aria-checked={l === level}
          className={`btn btn-small${l === level ? ' is-active' : ''}`}
          onClick={() => onChange(l)}
          title={LEVEL_TITLE[l]}
          data-testid={`logs-level-${l}`}
        >
          {l}
        </button>
      ))}
    </span>
  );
}

/** Which entries (tunnel, level, text), follow/pause, error navigation, export. */
export function LogsToolbar({ snap, newCount, onError, onTail, onExport }: Props) {
  const filter = useLogsStore((s) => s.filter);
  const setFilter = useLogsStore((s) => s.setFilter);
  const follow = useLogsStore((s) => s.follow);
  const setFollow = useLogsStore((s) => s.setFollow);
  const kept = useLogsStore((s) => s.ring.length);
  // Names only: the counters of 1,000 tunnels move several times a second, their names do not.
  const names = useTunnelNames();
  const gone = filter.tunnelId !== '' && !names.has(filter.tunnelId);
  const options = useMemo(
    () =>
      [...names].map(([id, name]) => (
        <option key={id} value={id}>
          {name}
        </option>
      )),
    [names],
  );
  const fileStatus = useLogsStore((s) => s.fileStatus);
  const noErrors = snap.errorCount === 0;

  return (
    <div className="logs-filters">
      <select value={filter.tunnelId} onChange={(e) => setFilter({ tunnelId: e.target.value })} aria-label="Filter by tunnel" data-testid="logs-tunnel" title="All sources, or one tunnel's entries">
        <option value="">all sources</option>
        {options}
        {gone ? <option value={filter.tunnelId}>(removed tunnel)</option> : null}
      </select>
      <LevelChoice level={filter.level} onChange={(level) => setFilter({ level })} />
      <input type="search" value={filter.text} onChange={(e) => setFilter({ text: e.target.value })} placeholder="filter text" aria-label="Filter by text" data-testid="logs-text" />
      <label className={`check log-follow${follow ? ' is-on' : ''}`} title="Keep scrolled to the newest entry; off pauses the view">
        <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} data-testid="logs-follow" /> {follow ? 'following' : 'paused'}
      </label>
      {newCount > 0 ? (
        <button type="button" className="btn btn-small btn-new" onClick={onTail} data-testid="logs-new" title="Jump to the newest entry and follow again">
          {newCount.toLocaleString()} new ↓
        </button>
      ) : null}
      <span className="btn-group">
        <button type="button" className="btn btn-small" disabled={noErrors} onClick={() => onError(-1)} data-testid="logs-prev-error" title="Previous error" aria-label="Previous error">
          ▲ error
        </button>
        <button type="button" className="btn btn-small" disabled={noErrors} onClick={() => onError(1)} data-testid="logs-next-error" title="Next error" aria-label="Next error">
          ▼ error
        </button>
      </span>
      <span className="spacer" />
      {fileStatus && (fileStatus.unwritten > 0 || fileStatus.problem) ? (
        <span
          className={`logs-file-status${fileStatus.problem ? ' is-failing' : ''}`}
          data-testid="logs-file-status"
          title={`${fileStatus.problem ? `Cannot write the log file ${fileStatus.file ?? ''}: ${fileStatus.problem}. ` : `The log file ${fileStatus.file ?? ''} takes entries again. `}Entries not written to it are still here while clab-publisher runs.`}
        >
          {fileStatus.unwritten.toLocaleString()} not in the log file{fileStatus.problem ? ` · ${fileStatus.problem.split(':')[0]}` : ''}
        </span>
      ) : null}
      <span className="muted logs-count" data-testid="logs-count" title={`Entries matching the filter / kept in memory (the newest ${kept.toLocaleString()}; older ones are in the log files)`}>
        {snap.count === kept ? `${kept.toLocaleString()} entries` : `${snap.count.toLocaleString()} of ${kept.toLocaleString()}`}
        {snap.errorCount ? <span className="logs-errors"> · {snap.errorCount.toLocaleString()} {snap.errorCount === 1 ? 'error' : 'errors'}</span> : null}
      </span>
      <span className="btn-group">
        <button type="button" className="btn btn-small" disabled={snap.count === 0} onClick={() => onExport('jsonl')} data-testid="logs-export-jsonl" title="Save the entries shown as JSON Lines">
          JSONL
        </button>
        <button type="button" className="btn btn-small" disabled={snap.count === 0} onClick={() => onExport('text')} data-testid="logs-export-text" title="Save the entries shown as plain text">
          Text
        </button>
      </span>
    </div>
  );
}
