import { memo, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import type { LogEntry } from '../../../shared/model';
import { formatTime } from '../../lib/format';
import { fieldsText } from '../../lib/log-export';
import { entryAt, positionAt, type LogSnapshot } from '../../lib/log-view';

/** Fixed, so the rows in view follow from the scroll offset alone (matches .log-row in CSS). */
export const ROW_HEIGHT = 20;
const OVERSCAN = 12;

export interface Viewport {
  first: number;
  last: number;
}

/** Scroll a row to the middle of the view; a new nonce repeats the jump. */
export interface Jump {
  index: number;
  nonce: number;
}

interface Props {
  snap: LogSnapshot;
  names: Map<string, string>;
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
  /** Ring position of the highlighted row (the last error jumped to). */
  focusPos: number | null;
  jump: Jump | null;
  /** Where the view is, for "next error" to start from. */
  viewportRef: RefObject<Viewport>;
}

const LogRow = memo(function LogRow({ e, name, focused }: { e: LogEntry; name?: string; focused: boolean }) {
  const extra = fieldsText(e.fields);
  return (
    <div className={`log-row level-${e.level}${focused ? ' is-focused' : ''}`} data-testid="log-row" data-seq={e.seq} title={extra ? `${e.message} ${extra}` : e.message}>
      <span className="log-time">{formatTime(e.time)}</span>
      <span className="log-level">{e.level}</span>
      <span className={`log-source${name ? ' is-tunnel' : ''}`} title={name ? `${name} (${e.source})` : e.source}>
        {name ?? e.source}
      </span>
      <span className="log-message">
        {e.message}
        {extra ? <span className="log-fields"> {extra}</span> : null}
      </span>
    </div>
  );
});

/**
 * The filtered log lines, virtualized: only the rows in view (plus a few) are in the DOM.
 * Scrolling up stops following; scrolling down to the end resumes it. While not following,
 * entries dropped at the front (full ring) shift the scroll offset so the rows stay put.
 *
 * Hand-written on purpose. @tanstack/react-virtual 3.14 (rows keyed by ring position, its end
 * anchor while paused) was measured against this with bench/ui-logs.bench.ts, both builds
 * alternating in one session on the 2-core test machine: while 100,000 lines arrived, the
 * core logged a median 3,376 lines/s beside this viewer and 2,000 beside the library's (the
 * renderer took the CPU), the longest frame was 100 ms here and 234 ms there, and 1,000
 * entries/s streaming gave 6 frames over 50 ms in 5 runs here, 12 in 4 runs there. The cause:
 * the library recomputes every row's offset whenever the row count changes, about 5-10 ms
 * per update at 100,000 rows (measured in Node); this one only touches the rows in view.
 */
export function LogRows({ snap, names, follow, onFollowChange, focusPos, jump, viewportRef }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 0, dropped: 0, key: '', jump: 0 });
  const prevTop = useRef(0);
  const applied = useRef({ key: '', dropped: 0, jump: 0 });

  const total = snap.count * ROW_HEIGHT;
  const height = scroll.height || 200;
  const jumpTop = jump ? Math.max(0, jump.index * ROW_HEIGHT - height / 2 + ROW_HEIGHT / 2) : 0;
  const shift = scroll.key === snap.key ? (snap.dropped - scroll.dropped) * ROW_HEIGHT : 0;
  const top = follow
    ? Math.max(0, total - height)
    : Math.max(0, Math.min(jump && jump.nonce !== scroll.jump ? jumpTop : scroll.top - shift, total - height));
  const first = Math.floor(top / ROW_HEIGHT);
  const from = Math.max(0, first - OVERSCAN);
  const to = Math.min(snap.count, first + Math.ceil(height / ROW_HEIGHT) + 1 + OVERSCAN);

  useLayoutEffect(() => {
    const el = ref.current!;
    const ro = new ResizeObserver(() => setScroll((s) => (s.height === el.clientHeight ? s : { ...s, height: el.clientHeight })));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Runs after every render; each branch only writes the scroll offset when it must.
  useLayoutEffect(() => {
    const el = ref.current!;
    const was = applied.current;
    if (follow) el.scrollTop = el.scrollHeight;
    else if (jump && jump.nonce !== was.jump) el.scrollTop = jumpTop;
    else if (was.key === snap.key && snap.dropped > was.dropped) el.scrollTop -= (snap.dropped - was.dropped) * ROW_HEIGHT;
    applied.current = { key: snap.key, dropped: snap.dropped, jump: jump?.nonce ?? 0 };
    viewportRef.current = { first, last: Math.min(snap.count, first + Math.floor(height / ROW_HEIGHT)) - 1 };
  });

  const onScroll = () => {
    const el = ref.current!;
    const t = el.scrollTop;
    const atBottom = el.scrollHeight - t - el.clientHeight < ROW_HEIGHT / 2;
    if (follow && !atBottom && t < prevTop.current) onFollowChange(false);
    else if (!follow && atBottom && t > prevTop.current) onFollowChange(true);
    prevTop.current = t;
    // Rendered before this frame paints, so fast scrolling never shows an empty strip.
    flushSync(() => setScroll({ top: t, height: el.clientHeight, dropped: snap.dropped, key: snap.key, jump: jump?.nonce ?? 0 }));
  };

  const rows = [];
  for (let i = from; i < to; i++) {
    const e = entryAt(snap, i);
    if (!e) continue;
    const pos = positionAt(snap, i);
    rows.push(<LogRow key={pos} e={e} name={e.tunnelId ? names.get(e.tunnelId) : undefined} focused={pos === focusPos} />);
  }
  return (
    <div ref={ref} className="log-rows" onScroll={onScroll} role="log" aria-live="off" tabIndex={0} data-testid="log-rows">
      {snap.count === 0 ? <div className="muted log-empty">No log entries match.</div> : null}
      <div className="log-spacer" style={{ height: total }}>
        <div className="log-window" style={{ transform: `translateY(${from * ROW_HEIGHT}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
