import type { Api } from '../../shared/contract';
import type { LabHostStatus } from '../../shared/model';
import { bindListStore, createListStore } from './list-store';

export const useHostsStore = createListStore<LabHostStatus>();

export const bindHostsStore = (api: Api) =>
  bindListStore(useHostsStore, (cb) => api.on('hosts.changed', cb), () => api['hosts.list']({}));
