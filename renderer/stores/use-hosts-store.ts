import type { Api } from '../../shared/contract';
import type { LabHostStatus } from '../../shared/model';
import { bindListStore, createListStore } from './list-store';

export const useHostsStore = createListStore<LabHostStatus>();

export const bindHostsStore = (api: Api) =>
  bindListStore(useHostsStore, (cb) => api.on('hosts.changed', cb), () => api['hosts.list']({}));

/** After `hosts.add` answered: show the host at once, before `hosts.changed` comes. */
export function upsertHost(host: LabHostStatus): void {
  const { items, replace } = useHostsStore.getState();
  const i = items.findIndex((h) => h.id === host.id);
  replace(i < 0 ? [...items, host] : items.map((h, j) => (j === i ? host : h)));
}

/** Removed on the user's word: drop it now rather than wait for the event. */
export function dropHost(id: string): void {
  const { items, replace } = useHostsStore.getState();
  replace(items.filter((h) => h.id !== id));
}
