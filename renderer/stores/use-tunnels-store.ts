import type { Api } from '../../shared/contract';
import type { Tunnel } from '../../shared/model';
import { applyUpdates, keepNewer } from '../../shared/tunnel-updates';
import { createListStore, type Binding } from './list-store';

/** Keyed: a whole list keeps the objects of the tunnels that did not change, so only moved rows render. */
export const useTunnelsStore = createListStore<Tunnel>({ key: (t) => t.id });

/**
 * The list comes whole with `tunnels.changed` (and the `tunnels.list` answer); counter moves
 * come as `tunnels.updated`, only the tunnels that moved, put in place by id. Either can arrive
 * after a newer one (the host sends an answer at once, ahead of events a slow page has not
 * read yet): each tunnel's `seq` decides, so no row goes back to older counters. The first
 * whole list after a (re)connect is taken as it is: the core may have restarted, and its seqs
 * with it. A `tunnels.changed` brings every row back in line.
 */
export function bindTunnelsStore(api: Api): Binding {
  let fresh = true;
  const whole = (list: Tunnel[]) => {
    const s = useTunnelsStore.getState();
    s.replace(fresh ? list : keepNewer(s.items, list));
    fresh = false;
  };
  const offs = [
    api.on('tunnels.changed', whole),
    api.on('tunnels.updated', (moved) =>
      useTunnelsStore.setState((s) => {
        const items = applyUpdates(s.items, moved);
        return items === s.items ? s : { items };
      }),
    ),
  ];
  return {
    async load() {
      fresh = true;
      // A list event that came while this was asked for is at least as new (its membership too).
      const rev = useTunnelsStore.getState().rev;
      const items = await api['tunnels.list']({});
      if (useTunnelsStore.getState().rev === rev) whole(items);
    },
    dispose: () => offs.forEach((off) => off()),
  };
}

let names: { items: Tunnel[]; key: string; map: Map<string, string> } = { items: [], key: '', map: new Map() };

/**
 * Tunnel id → socket name, in list order: the same Map until a tunnel is added, removed or
 * renamed, so views that only name tunnels (the log viewer) do not re-render with every
 * counter update.
 */
export function tunnelNames(items: Tunnel[]): Map<string, string> {
  if (items === names.items) return names.map;
  const key = items.map((t) => `${t.id}\t${t.name}`).join('\n');
  names = key === names.key ? { ...names, items } : { items, key, map: new Map(items.map((t) => [t.id, t.name])) };
  return names.map;
}

export const useTunnelNames = (): Map<string, string> => useTunnelsStore((s) => tunnelNames(s.items));
