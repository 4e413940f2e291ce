import type { Api } from '../../shared/contract';
import type { Lab } from '../../shared/model';
import { bindListStore, createListStore } from './list-store';

export const useLabsStore = createListStore<Lab>();

export const bindLabsStore = (api: Api) =>
  bindListStore(useLabsStore, (cb) => api.on('labs.changed', cb), () => api['labs.list']({}));
