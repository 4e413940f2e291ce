import { useDeferredValue, useMemo, useState } from 'react';
import type { Tunnel } from '../../../shared/model';
import { LogView, type LogSnapshot } from '../../lib/log-view';
import { useLogsStore } from '../../stores/use-logs-store';
import { useTunnelsStore } from '../../stores/use-tunnels-store';

/**
 * The filtered entries as of the latest flush. Recomputed only when entries arrive or the
 * filter changes, and then only for the new entries (see LogView); typing in the text box is
 * deferred so a rescan of 100,000 entries never blocks a keystroke.
 */
export function useLogSnapshot(): LogSnapshot {
  const ring = useLogsStore((s) => s.ring);
  const version = useLogsStore((s) => s.version);
  const { tunnelId, level, text } = useLogsStore((s) => s.filter);
  const needle = useDeferredValue(text.trim());
  // A string, so tunnel updates (counters every few seconds) leave the filter alone.
  const named = useTunnelsStore((s) => (needle ? namesMatching(s.items, needle) : ''));
  const filter = useMemo(
    () => ({ tunnelId, level, text: needle, textTunnels: named ? named.split('\n') : [] }),
    [tunnelId, level, needle, named],
  );
  const [view] = useState(() => new LogView());
  return useMemo(() => view.sync(ring, filter, version), [view, ring, filter, version]);
}

function namesMatching(tunnels: Tunnel[], needle: string): string {
  const n = needle.toLowerCase();
  return tunnels
    .filter((t) => t.name.toLowerCase().includes(n))
    .map((t) => t.id)
    .join('\n');
}
