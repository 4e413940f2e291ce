import type { ParamsIn } from '../../../shared/contract';
import { api } from '../../api';

// The providers feature's calls to the core; `providers.changed` brings their effect.

export async function configureProvider(settings: ParamsIn<'providers.configure'>): Promise<void> {
  await api['providers.configure'](settings);
}

export async function trustRelayKey(id: string, fingerprint: string): Promise<void> {
  await api['providers.trustHostKey']({ id, fingerprint });
}

export async function forgetRelayKey(id: string): Promise<void> {
  await api['providers.forgetHostKey']({ id });
}
