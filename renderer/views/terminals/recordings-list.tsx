import { createColumnHelper } from '@tanstack/react-table';
import { formatBytes } from '../../../shared/publish-defaults';
import type { TerminalRecordingInfo } from '../../../shared/terminal-model';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable } from '../../components/data-table';
import { useOwnerTerminalsStore, useRecordingsStore } from '../../stores/use-terminals-store';
import { useAction } from '../../lib/use-action';
import { deleteRecording, readRecording } from './actions';
import { lazy, Suspense } from 'react';

// xterm.js is loaded when a terminal or the player is first shown, not with the app.
const AsciicastPlayer = lazy(() => import('./asciicast-player'));

const col = createColumnHelper<TerminalRecordingInfo>();
const fmtLength = (s: number) => (s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);

/** Saves the recording as a `.cast` file (a blob made here: the only kind of download the desktop app allows). */
async function download(r: TerminalRecordingInfo): Promise<void> {
  const text = await readRecording(r.id);
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-asciicast' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${r.lab}-${r.node}-${new Date(r.startedAt).toISOString().replace(/[:.]/g, '-')}.cast`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Actions({ r }: { r: TerminalRecordingInfo }) {
  const play = useOwnerTerminalsStore((s) => s.play);
  const playing = useOwnerTerminalsStore((s) => s.playing);
  const saving = useAction(download, { failure: 'Download failed' });
  const removing = useAction(deleteRecording, { failure: 'Deleting the recording failed', then: () => playing === r.id && play(null) });
  return (
    <span className="row-actions">
      <button type="button" className="btn btn-small" onClick={() => play(playing === r.id ? null : r.id)} data-testid={`recording-play-${r.node}`}>
        {playing === r.id ? 'Hide' : 'Play'}
      </button>
      <button type="button" className="btn btn-small" onClick={() => void saving.run(r)} disabled={saving.busy} title="The asciicast file (asciinema play, or any asciicast player)">
        Download
      </button>
      {r.complete ? (
        <ConfirmButton onConfirm={() => void removing.run(r.id)} title="Delete this recording">
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
