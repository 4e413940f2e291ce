import { useRef, useState } from 'react';
import { download, exportBlob, exportFileName, type ExportFormat } from '../../lib/log-export';
import { countFrom, findError, indexOf, positionAt } from '../../lib/log-view';
import { useLogsStore } from '../../stores/use-logs-store';
import { useUiStore } from '../../stores/use-ui-store';
import { LogRows, type Jump, type Viewport } from './log-rows';
import { LogsToolbar } from './logs-toolbar';
import { useTunnelNames } from '../../stores/use-tunnels-store';
import { useLogSnapshot } from './use-log-snapshot';

function LogsToggle() {
  const open = useUiStore((s) => s.logsOpen);
  const toggle = useUiStore((s) => s.toggleLogs);
  const kept = useLogsStore((s) => s.ring.length);
  return (
    <button type="button" className="btn-flat" onClick={toggle} aria-expanded={open} data-testid="logs-toggle" title={open ? 'Collapse the logs' : 'Show the logs'}>
      {open ? '▾' : '▸'} Logs <span className="muted">({kept.toLocaleString()})</span>
    </button>
  );
}

/** The open viewer: filters and actions above the virtualized rows. */
function LogViewer() {
  const snap = useLogSnapshot();
  const names = useTunnelNames();
  const follow = useLogsStore((s) => s.follow);
  const pausedAt = useLogsStore((s) => s.pausedAt);
  const setFollow = useLogsStore((s) => s.setFollow);
  const [focusPos, setFocusPos] = useState<number | null>(null);
  const [jump, setJump] = useState<Jump | null>(null);
  const viewport = useRef<Viewport>({ first: 0, last: 0 });

  const goError = (dir: 1 | -1) => {
    const at = focusPos === null ? -1 : indexOf(snap, focusPos);
    const from = at >= 0 ? at : dir === 1 ? viewport.current.first - 1 : viewport.current.last + 1;
    let i = findError(snap, from, dir);
    // Past the last (first) error: wrap around, as editors do.
    if (i < 0) i = findError(snap, dir === 1 ? -1 : snap.count, dir);
    if (i < 0) return;
    setFollow(false);
    setFocusPos(positionAt(snap, i));
    setJump({ index: i, nonce: (jump?.nonce ?? 0) + 1 });
  };
  const toTail = () => {
    setFocusPos(null);
    setFollow(true);
  };
  const save = (format: ExportFormat) => download(exportBlob(snap, names, format), exportFileName(format));

  return (
    <>
      <header className="logs-header">
        <LogsToggle />
        <LogsToolbar
          snap={snap}
          newCount={follow ? 0 : countFrom(snap, pausedAt)}
          onError={goError}
          onTail={toTail}
          onExport={save}
        />
      </header>
      <LogRows snap={snap} names={names} follow={follow} onFollowChange={setFollow} focusPos={focusPos} jump={jump} viewportRef={viewport} />
    </>
  );
}

/** Log entries of tunnels and subsystems: filtered, following the tail, paused, exported. */
export function LogsPanel() {
  const open = useUiStore((s) => s.logsOpen);
  return (
    <section className={`logs-panel${open ? '' : ' is-collapsed'}`} data-testid="logs-panel" aria-label="Logs">
      {open ? (
        <LogViewer />
      ) : (
        <header className="logs-header">
          <LogsToggle />
        </header>
      )}
    </section>
  );
}
