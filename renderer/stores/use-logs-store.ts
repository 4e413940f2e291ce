import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import type { LogEntry, LogFileStatus, LogLevel } from '../../shared/model';
import { LogRing } from '../lib/log-ring';
import type { Binding } from './list-store';
import { useUiStore } from './use-ui-store';

/** The most entries kept in memory (oldest dropped first); the core keeps the full history on disk. */
export const MAX_LOG_ENTRIES = 100_000;
/** Asked for on every (re)connect: about what the core keeps in memory. */
const LOAD_LIMIT = 20_000;
/** What the viewer shows first. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';
/** Fallback when no animation frame comes (hidden tab): flush at least this often. */
const FLUSH_FALLBACK_MS = 250;

export interface LogFilterInput {
  tunnelId: string;
  level: LogLevel;
  text: string;
}

interface LogsState {
  /** Mutated in place; `version` says when. Read it through a snapshot (lib/log-view.ts). */
  ring: LogRing;
  version: number;
  filter: LogFilterInput;
  /** Keep the newest entry in view. */
  follow: boolean;
  /** Ring position at the moment following stopped: entries from here on are "new". */
  pausedAt: number;
  /** What did not reach the core's log file (a full disk), and why. */
  fileStatus?: LogFileStatus;
  setFilter(f: Partial<LogFilterInput>): void;
  setFollow(follow: boolean): void;
}

export const useLogsStore = create<LogsState>()((set) => ({
  ring: new LogRing(MAX_LOG_ENTRIES),
  version: 0,
  // Info and up: debug adds a health probe line every 15 s per tunnel (one click away).
  filter: { tunnelId: '', level: DEFAULT_LOG_LEVEL, text: '' },
  follow: true,
  pausedAt: 0,
  setFilter: (f) => set((s) => ({ filter: { ...s.filter, ...f } })),
  setFollow: (follow) => set((s) => (follow === s.follow ? s : { follow, pausedAt: follow ? s.pausedAt : s.ring.end })),
}));

/** The viewer, open, showing one tunnel's newest entries (from the published ports table). */
export function showTunnelLogs(tunnelId: string): void {
  useLogsStore.setState((s) => ({ filter: { ...s.filter, tunnelId }, follow: true }));
  useUiStore.getState().setLogsOpen(true);
}

// Batches of `logs.appended` wait here and reach the ring once per animation frame.
let pending: LogEntry[] = [];
let frame = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
/** While `logs.query` runs, live entries wait for its answer (they are newer). */
let loading = false;
let buffered: LogEntry[] = [];

function flush(): void {
  cancelAnimationFrame(frame);
  clearTimeout(timer);
  frame = 0;
  timer = undefined;
  if (!pending.length) return;
  let batch = pending;
  pending = [];
  if (loading) {
    buffered = buffered.concat(batch);
    return;
  }
  const s = useLogsStore.getState();
  // An event may repeat the tail of the `logs.query` answer that was merged just before it.
  const last = s.ring.lastSeq;
  if (batch[0].seq <= last) batch = batch.filter((e) => e.seq > last);
  if (!batch.length) return;
  s.ring.push(batch);
  useLogsStore.setState({ version: s.version + 1 });
}

function queue(batch: LogEntry[]): void {
  pending = pending.length ? pending.concat(batch) : batch;
  if (pending.length > 2 * MAX_LOG_ENTRIES) pending = pending.slice(-MAX_LOG_ENTRIES);
  if (!frame) frame = requestAnimationFrame(flush);
  timer ??= setTimeout(flush, FLUSH_FALLBACK_MS);
}

/** Merges a `logs.query` answer: the gap since the last entry, or everything after a core restart. */
function merge(result: LogEntry[], baseSeq: number): void {
  const s = useLogsStore.getState();
  const mine = s.ring.at(s.ring.end - 1);
  const theirs = mine ? result.find((e) => e.seq === mine.seq) : undefined;
  const newest = result.length ? result[result.length - 1].seq : -1;
  const restarted = !!mine && (newest < baseSeq || (theirs !== undefined && theirs.time !== mine.time));
  const gap = restarted ? result : result.filter((e) => e.seq > baseSeq);
  const last = gap.length ? gap[gap.length - 1].seq : restarted ? -1 : baseSeq;
  const all = gap.concat(buffered.filter((e) => e.seq > last));
  if (restarted) s.ring.reset(all);
  else s.ring.push(all);
  useLogsStore.setState({ version: s.version + 1 });
}

export function bindLogsStore(api: Api): Binding {
  const offEntries = api.on('logs.appended', queue);
  const offStatus = api.on('logs.status', (fileStatus) => useLogsStore.setState({ fileStatus }));
  const dispose = () => (offEntries(), offStatus());
  return {
    async load() {
      void api['logs.status']({}).then(
        (fileStatus) => useLogsStore.setState({ fileStatus }),
        () => undefined, // the entries' load says what went wrong
      );
      flush();
      loading = true;
      buffered = [];
      const baseSeq = useLogsStore.getState().ring.lastSeq;
      try {
        const result = await api['logs.query']({ limit: LOAD_LIMIT });
        loading = false;
        merge([...result].sort((a, b) => a.seq - b.seq), baseSeq);
      } catch (err) {
        loading = false;
        const s = useLogsStore.getState();
        s.ring.push(buffered);
        useLogsStore.setState({ version: s.version + 1 });
        throw err;
      } finally {
        buffered = [];
      }
    },
    dispose() {
      dispose();
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    },
  };
}
