import type { Api } from '../../shared/contract';
import type { Share } from '../../shared/share-model';
import { bindListStore, createListStore } from './list-store';

export const useSharesStore = createListStore<Share>();

export const bindSharesStore = (api: Api) =>
  bindListStore(useSharesStore, (cb) => api.on('shares.changed', cb), () => api['shares.list']({}));

/** The share holding a node port, if any (one share per node port). */
export function shareOfPort(shares: readonly Share[], host: string, lab: string, node: string, port: number): Share | undefined {
  return shares.find((s) => s.host === host && s.lab === lab && s.ports.some((p) => p.node === node && p.port === port));
}
