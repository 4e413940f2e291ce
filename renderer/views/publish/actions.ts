import type { ParamsIn } from '../../../shared/contract';
import { api } from '../../api';

/** Publishes one node port; resolves with the new publication's id. */
export async function publish(params: ParamsIn<'publications.add'>): Promise<string> {
  const { id } = await api['publications.add'](params);
  return id;
}
