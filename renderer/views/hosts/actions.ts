import type { ParamsIn } from '../../../shared/contract';
import type { LabHostStatus } from '../../../shared/model';
import { api } from '../../api';
import { dropHost, upsertHost } from '../../stores/use-hosts-store';

// The hosts feature's calls to the core. Each shows its answer at once, before `hosts.changed`.

export async function addHost(params: ParamsIn<'hosts.add'>): Promise<LabHostStatus> {
  const host = await api['hosts.add'](params);
  upsertHost(host);
  return host;
}

export async function removeHost(id: string): Promise<void> {
  await api['hosts.remove']({ id });
  dropHost(id);
}

export async function trustHostKey(id: string, fingerprint: string): Promise<void> {
  await api['hosts.trustHostKey']({ id, fingerprint });
}
