import type { Api } from '../../shared/contract';
import type { Tunnel } from '../../shared/model';
import { bindListStore, createListStore } from './list-store';

export const useTunnelsStore = createListStore<Tunnel>();

export const bindTunnelsStore = (api: Api) =>
  bindListStore(useTunnelsStore, (cb) => api.on('tunnels.changed', cb), () => api['tunnels.list']({}));
