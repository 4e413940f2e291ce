import type { Api } from '../../shared/contract';
import type { Publication } from '../../shared/model';
import { bindListStore, createListStore } from './list-store';

export const usePublicationsStore = createListStore<Publication>();

export const bindPublicationsStore = (api: Api) =>
  bindListStore(usePublicationsStore, (cb) => api.on('publications.changed', cb), () => api['publications.list']({}));
