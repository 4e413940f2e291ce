import { createColumnHelper } from '@tanstack/react-table';
import { formatBytes } from '../../../shared/publish-defaults';
import type { TerminalRecordingInfo } from '../../../shared/terminal-model';
import { api } from '../../api';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable } from '../../components/data-table';
import { useOwnerTerminalsStore, useRecordingsStore } from '../../stores/use-terminals-store';
import { useUiStore } from '../../stores/use-ui-store';
import { lazy, Suspense } from 'react';

// xterm.js is loaded when a terminal or the player is first shown, not with the app.
const AsciicastPlayer = lazy(() => import('./asciicast-player'));

const col = createColumnHelper<TerminalRecordingInfo>();
const fmtLength = (s: number) => (s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);

async function download(r: TerminalRecordingInfo, onError: (e: unknown) => void) {
  try {
    const { text } = await api['terminals.readRecording']({ id: r.id });
    const url = URL.createObjectURL(new Blob([text], { type: 'application/x-asciicast' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${r.lab}-${r.node}-${new Date(r.startedAt).toISOString().replace(/[:.]/g, '-')}.cast`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    onError(err);
  }
}

function Actions({ r }: { r: TerminalRecordingInfo }) {
  const play = useOwnerTerminalsStore((s) => s.play);
  const playing = useOwnerTerminalsStore((s) => s.playing);
  const showError = useUiStore((s) => s.showError);
  return (
    <span className="row-actions">
      <button type="button" className="btn btn-small" onClick={() => play(playing === r.id ? null : r.id)} data-testid={`recording-play-${r.node}`}>
        {playing === r.id ? 'Hide' : 'Play'}
      </button>
      <button type="button" className="btn btn-small" onClick={() => void download(r, (e) => showError(e, 'Download failed'))} title="The asciicast file (asciinema play, or any asciicast player)">
        Download
      </button>
      {r.complete ? (
        <ConfirmButton onConfirm={() => api['terminals.deleteRecording']({ id: r.id }).then(() => (playing === r.id ? play(null) : undefined), (e: unknown) => showError(e, 'Deleting failed'))} title="Delete this recording">
          Delete
        </ConfirmButton>
      ) : null}
    </span>
  );
}

const columns = [
  col.accessor((r) => r.attendeeName ?? '', { id: 'who', header: 'Who', cell: (c) => c.getValue() || <span className="muted">you</span> }),
  col.accessor((r) => r.node, { id: 'node', header: 'Node', cell: (c) => <span className="mono">{c.getValue()} <span className="muted">lab {c.row.original.lab}</span></span> }),
  col.accessor((r) => r.startedAt, { id: 'start', header: 'Start', cell: (c) => new Date(c.getValue()).toLocaleString() }),
  col.accessor((r) => r.durationS, {
    id: 'length',
    header: 'Length',
    cell: (c) => (
      <span data-testid={`recording-length-${c.row.original.node}`}>
        {fmtLength(c.getValue())}
        {c.row.original.complete ? '' : ' · recording'}
      </span>
    ),
  }),
  col.accessor((r) => r.bytes, { id: 'size', header: 'Size', cell: (c) => <span className="mono">{formatBytes(c.getValue())}</span> }),
  col.display({ id: 'actions', header: '', cell: (c) => <Actions r={c.row.original} /> }),
];

/** Recorded sessions, newest first, with a player for the one picked. */
export function RecordingsList() {
  const recordings = useRecordingsStore((s) => s.items);
  const playing = useOwnerTerminalsStore((s) => s.playing);
  return (
    <>
      <DataTable
        data={recordings}
        columns={columns}
        rowId={(r) => r.id}
        rowProps={(r) => ({ 'data-testid': `recording-${r.original.node}`, 'data-recording': r.original.id })}
        label="Recorded terminal sessions"
        testId="recordings-table"
        empty={<span className="muted">No recording yet: tick “Record” when opening a terminal (or turn recording on for a share).</span>}
      />
      {playing && recordings.some((r) => r.id === playing) ? (
        <Suspense fallback={<p className="muted">Loading the player…</p>}>
          <AsciicastPlayer key={playing} id={playing} />
        </Suspense>
      ) : null}
    </>
  );
}
