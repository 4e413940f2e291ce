import type { ParamsIn } from '../../../shared/contract';
import type { LabTopologyState } from '../../../shared/topology-model';
import { api } from '../../api';
import { upsertTopology } from '../../stores/use-topology-store';

// The labs feature's calls to the core (its topology files). Each shows the answer at once,
// without waiting for `topology.changed`.

export async function openTopologyFile(host: string, path: string): Promise<LabTopologyState> {
  const state = await api['topology.open']({ host, path });
  upsertTopology(state);
  return state;
}

export async function configureTopology(params: ParamsIn<'topology.configure'>): Promise<LabTopologyState> {
  const state = await api['topology.configure'](params);
  upsertTopology(state);
  return state;
}
