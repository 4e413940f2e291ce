import type { Api } from '../../shared/contract';
import type { LabTopologyState } from '../../shared/topology-model';
import { bindListStore, createListStore } from './list-store';

/** Every known lab's topology file, its publish entries and the lab's publish settings. */
export const useTopologyStore = createListStore<LabTopologyState>();

export const bindTopologyStore = (api: Api) =>
  bindListStore(useTopologyStore, (cb) => api.on('topology.changed', cb), () => api['topology.list']({}));

/** One lab's topology state (a stable reference until the core sends a new list). */
export function useLabTopology(host: string, lab: string): LabTopologyState | undefined {
  return useTopologyStore((s) => s.items.find((t) => t.host === host && t.lab === lab));
}

/**
 * After an action answered with the new state: put it in the list at once, without waiting for
 * the `topology.changed` event (which replaces the list wholesale when it comes).
 */
export function upsertTopology(state: LabTopologyState): void {
  const { items, replace } = useTopologyStore.getState();
  const i = items.findIndex((t) => t.host === state.host && t.lab === state.lab);
  replace(i < 0 ? [...items, state] : items.map((t, j) => (j === i ? state : t)));
}
