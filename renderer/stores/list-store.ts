import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { keepUnchanged } from '../lib/keep-unchanged';

/** A domain list the core owns: replaced wholesale by its `*.list` answer and `*.changed` events. */
export interface ListState<T> {
  items: T[];
  /** False until the first answer or event arrived. */
  loaded: boolean;
  /** Bumped on every replace, so a slow `*.list` answer never overwrites a newer event. */
  rev: number;
  replace(items: T[]): void;
}

export type ListStore<T> = UseBoundStore<StoreApi<ListState<T>>>;

/**
 * With `key`, a replace keeps the previous object of every item that did not change (and the
 * previous array when none did), so views re-render only what moved: for lists the core
 * resends whole as any of them changes (the tunnels: 1,000 rows, of which one changed state).
 */
export function createListStore<T>(opts: { key?: (item: T) => string } = {}): ListStore<T> {
  const { key } = opts;
  return create<ListState<T>>()((set) => ({
    items: [],
    loaded: false,
    rev: 0,
    replace: (items) => set((s) => ({ items: key ? keepUnchanged(s.items, items, key) : items, loaded: true, rev: s.rev + 1 })),
  }));
}

/** A store wired to the core: `load()` fetches the list, events keep it current until `dispose()`. */
export interface Binding {
  load(): Promise<void>;
  dispose(): void;
}

export function bindListStore<T>(
  store: ListStore<T>,
  subscribe: (cb: (items: T[]) => void) => () => void,
  fetch: () => Promise<T[]>,
): Binding {
  const dispose = subscribe((items) => store.getState().replace(items));
  return {
    async load() {
      const rev = store.getState().rev;
      const items = await fetch();
      if (store.getState().rev === rev) store.getState().replace(items);
    },
    dispose,
  };
}
