import { createColumnHelper } from '@tanstack/react-table';
import { formatBytes } from '../../../shared/publish-defaults';
import type { TerminalSessionInfo } from '../../../shared/terminal-model';

/** A session with what the row needs beyond the core's facts. */
export interface SessionRow {
  s: TerminalSessionInfo;
  shareTitle?: string;
  now: number;
  kill(id: string): void;
  /** Shows one of the owner's sessions in a terminal view again (after a reload); absent when it is shown. */
  show?: () => void;
}

const col = createColumnHelper<SessionRow>();

/** "12 s", "4 min", "2 h 5 min". */
export function formatSince(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const sessionColumns = [
  col.accessor((r) => r.s.attendeeName ?? r.s.attendeeId ?? '', {
    id: 'who',
    header: 'Who',
    cell: (c) => {
      const s = c.row.original.s;
      if (s.attendeeId === undefined) return <span className="muted">you</span>;
      return <span>{s.attendeeName ?? s.attendeeId}</span>;
    },
  }),
  col.accessor((r) => r.shareTitle ?? '', {
    id: 'share',
    header: 'Share',
    cell: (c) => c.getValue() || <span className="muted">—</span>,
  }),
  col.accessor((r) => `${r.s.lab}/${r.s.node}`, {
    id: 'node',
    header: 'Node',
    cell: (c) => {
      const s = c.row.original.s;
      return (
        <span className="mono" title={`lab ${s.lab} on ${s.host}, ${s.via === 'ssh' ? 'SSH' : 'container engine'}`}>
          {s.node} <span className="muted">({s.via === 'ssh' ? 'ssh' : 'engine'})</span>
        </span>
      );
    },
  }),
  col.accessor((r) => r.s.startedAt, {
    id: 'since',
    header: 'Since',
    cell: (c) => <span title={new Date(c.getValue()).toLocaleString()}>{formatSince(c.row.original.now - c.getValue())}</span>,
  }),
  col.accessor((r) => r.s.bytesIn + r.s.bytesOut, {
    id: 'bytes',
    header: 'Bytes',
    cell: (c) => (
      <span className="mono" title="typed / shown">
        {formatBytes(c.row.original.s.bytesIn)} / {formatBytes(c.row.original.s.bytesOut)}
      </span>
    ),
    meta: { title: 'Typed by the user / output of the node' },
  }),
  col.display({
    id: 'flags',
    header: '',
    cell: (c) => {
      const s = c.row.original.s;
      return (
        <span className="session-flags">
          {s.broadcast ? <span className="badge tone-busy" title="Shown read-only to the share's audience">broadcast · {s.spectators}</span> : null}
          {s.recordingId ? <span className="badge tone-bad" title="Recorded as asciicast">● rec</span> : null}
        </span>
      );
    },
  }),
  col.display({
    id: 'actions',
    header: '',
    cell: (c) => (
      <span className="row-actions">
        {c.row.original.show ? (
          <button type="button" className="btn btn-small" onClick={c.row.original.show} data-testid={`session-show-${c.row.original.s.node}`} title="Show this terminal of yours again">
            Show
          </button>
        ) : null}
        <button type="button" className="btn btn-small btn-danger" onClick={() => c.row.original.kill(c.row.original.s.id)} data-testid={`session-kill-${c.row.original.s.node}`} title="End this session now">
          Kill
        </button>
      </span>
    ),
  }),
];
