import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import type { LogEntry } from '../../shared/model';
import type { Binding } from './list-store';

/** The most entries kept in memory; the core keeps the full history on disk. */
export const MAX_LOG_ENTRIES = 5000;

interface LogsState {
  entries: LogEntry[];
  /** Set while `logs.query` runs: entries appended meanwhile are merged into its answer. */
  loading: boolean;
  buffered: LogEntry[];
  append(batch: LogEntry[]): void;
  beginLoad(): void;
  finishLoad(result: LogEntry[] | null): void;
}

const cap = (list: LogEntry[]) => (list.length > MAX_LOG_ENTRIES ? list.slice(-MAX_LOG_ENTRIES) : list);

export const useLogsStore = create<LogsState>()((set) => ({
  entries: [],
  loading: false,
  buffered: [],
  append: (batch) =>
    set((s) => ({
      entries: cap(s.entries.concat(batch)),
      buffered: s.loading ? s.buffered.concat(batch) : s.buffered,
    })),
  beginLoad: () => set({ loading: true, buffered: [] }),
  finishLoad: (result) =>
    set((s) => {
      if (!result) return { loading: false, buffered: [] };
      const last = result.length ? result[result.length - 1].seq : -Infinity;
      const later = s.buffered.filter((e) => e.seq > last);
      return { entries: cap(result.concat(later)), loading: false, buffered: [] };
    }),
}));

export function bindLogsStore(api: Api): Binding {
  const dispose = api.on('logs.appended', (batch) => useLogsStore.getState().append(batch));
  return {
    async load() {
      const s = useLogsStore.getState();
      s.beginLoad();
      try {
        const result = await api['logs.query']({ limit: 500 });
        useLogsStore.getState().finishLoad([...result].sort((a, b) => a.seq - b.seq));
      } catch (err) {
        useLogsStore.getState().finishLoad(null);
        throw err;
      }
    },
    dispose,
  };
}
