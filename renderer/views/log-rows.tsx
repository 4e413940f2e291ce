import { useLayoutEffect, useRef } from 'react';
import type { LogEntry } from '../../shared/model';
import { formatTime } from '../lib/format';

interface Props {
  rows: LogEntry[];
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
}

const fieldsText = (f: LogEntry['fields']) =>
  f && Object.keys(f).length ? Object.entries(f).map(([k, v]) => `${k}=${v}`).join(' ') : '';

/** The log lines; scrolling up stops following, scrolling to the bottom resumes it. */
export function LogRows({ rows, follow, onFollowChange }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  }, [rows, follow]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
    if (atBottom !== follow) onFollowChange(atBottom);
  };

  return (
    <div ref={ref} className="log-rows" onScroll={onScroll} role="log" aria-live="off" tabIndex={0}>
      {rows.length === 0 ? <div className="muted log-empty">No log entries match.</div> : null}
      {rows.map((e) => {
        const extra = fieldsText(e.fields);
        return (
          <div key={e.seq} className={`log-row level-${e.level}`} data-testid="log-row">
            <span className="log-time">{formatTime(e.time)}</span>
            <span className="log-level">{e.level}</span>
            <span className="log-source" title={e.source}>{e.source}</span>
            <span className="log-message">
              {e.message}
              {extra ? <span className="log-fields"> {extra}</span> : null}
            </span>
          </div>
        );
      })}
    </div>
  );
}
