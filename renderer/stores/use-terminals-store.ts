import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import type { TerminalOutputChunk, TerminalRecordingInfo, TerminalSessionInfo } from '../../shared/terminal-model';
import { bindListStore, createListStore, type Binding } from './list-store';

/** Every open terminal session (attendees' and the owner's), kept current by `terminals.changed`. */
export const useTerminalSessionsStore = createListStore<TerminalSessionInfo>();
/** A session as an action's answer has it, before `terminals.changed` brings the same. */
export function upsertSession(info: TerminalSessionInfo): void {
  const { items, replace } = useTerminalSessionsStore.getState();
  if (items.some((s) => s.id === info.id)) replace(items.map((s) => (s.id === info.id ? info : s)));
}

/** Recorded sessions; fetched again when sessions change (a recording starts, grows, ends). */
export const useRecordingsStore = createListStore<TerminalRecordingInfo>();

interface OwnerTerminalsState {
  /** The owner's terminals open in this window, oldest first, as they were opened (labels after their end). */
  open: TerminalSessionInfo[];
  active: string | null;
  /** The recording playing in the player. */
  playing: string | null;
  /** The node the "open a terminal" form is filled in for (from a share view or the node table). */
  prefill: { host: string; lab: string; node: string; shareId?: string; nonce: number } | null;
  add(info: TerminalSessionInfo): void;
  remove(id: string): void;
  activate(id: string): void;
  play(id: string | null): void;
  openFor(target: { host: string; lab: string; node: string; shareId?: string }): void;
}

export const useOwnerTerminalsStore = create<OwnerTerminalsState>()((set) => ({
  open: [],
  active: null,
  playing: null,
  prefill: null,
  add: (info) => set((s) => ({ open: s.open.some((x) => x.id === info.id) ? s.open : [...s.open, info], active: info.id })),
  remove: (id) =>
    set((s) => {
      const open = s.open.filter((x) => x.id !== id);
      return { open, active: s.active === id ? (open.at(-1)?.id ?? null) : s.active };
    }),
  activate: (active) => set({ active }),
  play: (playing) => set({ playing }),
  openFor: (t) => set({ prefill: { ...t, nonce: Date.now() } }),
}));

type OutputListener = (chunk: TerminalOutputChunk) => void;
const outputListeners = new Map<string, Set<OutputListener>>();

/** Output of one of the owner's terminals, as it arrives (the view checks `seq` for gaps). */
export function onTerminalOutput(id: string, listener: OutputListener): () => void {
  let set = outputListeners.get(id);
  if (!set) outputListeners.set(id, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (!set.size) outputListeners.delete(id);
  };
}

/** Recordings move with sessions; asking at most once a second is plenty for a list. */
const RECORDINGS_EVERY_MS = 1000;

export function bindTerminalsStore(api: Api): Binding {
  const sessions = bindListStore(useTerminalSessionsStore, (cb) => api.on('terminals.changed', cb), () => api['terminals.list']({}));
  const recordings = bindListStore(useRecordingsStore, () => () => undefined, () => api['terminals.recordings']({}));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const offChanged = api.on('terminals.changed', () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      recordings.load().catch(() => undefined); // the next change or reconnect tries again
    }, RECORDINGS_EVERY_MS);
  });
  const offOutput = api.on('terminals.output', (batch) => {
    for (const chunk of batch) outputListeners.get(chunk.id)?.forEach((l) => l(chunk));
  });
  return {
    load: async () => {
      await Promise.all([sessions.load(), recordings.load()]);
    },
    dispose: () => {
      clearTimeout(timer);
      offChanged();
      offOutput();
      sessions.dispose();
      recordings.dispose();
    },
  };
}
