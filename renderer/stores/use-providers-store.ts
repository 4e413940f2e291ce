import type { Api } from '../../shared/contract';
import type { ProviderInfo } from '../../shared/model';
import { bindListStore, createListStore } from './list-store';

export const useProvidersStore = createListStore<ProviderInfo>();

export const bindProvidersStore = (api: Api) =>
  bindListStore(useProvidersStore, (cb) => api.on('providers.changed', cb), () => api['providers.list']({}));
