import type { Api } from '../../shared/contract';
import type { Tunnel } from '../../shared/model';
import { applyUpdates } from '../../shared/tunnel-updates';
import { bindListStore, createListStore, type Binding } from './list-store';

/** Keyed: the core sends the whole list with every counter change; unchanged tunnels keep their objects. */
export const useTunnelsStore = createListStore<Tunnel>({ key: (t) => t.id });

/**
 * The list comes whole with `tunnels.changed`; counter moves come as `tunnels.updated`, only the
 * tunnels that moved, put in place by id. A delta does not count as a replace (`rev`): a list
 * answer asked for before it may still land, with counters a moment older that the next delta
 * brings up to date.
 */
export function bindTunnelsStore(api: Api): Binding {
  const binding = bindListStore(useTunnelsStore, (cb) => api.on('tunnels.changed', cb), () => api['tunnels.list']({}));
  const off = api.on('tunnels.updated', (moved) =>
    useTunnelsStore.setState((s) => {
      const items = applyUpdates(s.items, moved);
      return items === s.items ? s : { items };
    }),
  );
  return {
    load: () => binding.load(),
    dispose: () => {
      off();
      binding.dispose();
    },
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
