/**
 * Policies by name, as border0-go does it (`PoliciesByNames`, `AttachPoliciesToSocket`): one
 * name is looked up with `policies/find`, several against the full list; they are attached
 * to the socket once it exists and read back from its `policies[]`. Unknown names are
 * refused before anything is created.
 */
import { AppError } from '../../../../shared/rpc-errors';
import type { Border0Api } from '../api/api-client';
import type { Border0Policy, Border0Socket } from '../api/api-types';

type PolicyApi = Pick<Border0Api, 'findPolicy' | 'listPolicies'>;

export async function resolvePolicies(api: PolicyApi, names: string[]): Promise<Border0Policy[]> {
  const wanted = [...new Set(names)];
  if (wanted.length === 1) {
    const found = await api.findPolicy(wanted[0]);
    if (found) return [found];
    throw unknownPolicies(wanted, await api.listPolicies().catch(() => undefined));
  }
  const all = await api.listPolicies();
  const missing = wanted.filter((n) => !all.some((p) => p.name === n));
  if (missing.length) throw unknownPolicies(missing, all);
  return wanted.map((n) => all.find((p) => p.name === n)!);
}

/** The socket as the service answered after attaching: every policy must be in its `policies[]`. */
export function checkAttached(socket: Border0Socket, policies: Border0Policy[]): void {
  const attached = new Set(socket.policies.map((p) => p.id));
  const missing = policies.filter((p) => !attached.has(p.id));
  if (!missing.length) return;
  throw new AppError(
    'unavailable',
    `border0 did not attach polic${missing.length > 1 ? 'ies' : 'y'} ${missing.map((p) => p.name).join(', ')} to socket ${socket.name}`,
    'the app tries again; if it persists, check the policy in the border0 portal',
  );
}

function unknownPolicies(names: string[], known: Border0Policy[] | undefined): AppError {
  const list = known?.map((p) => p.name) ?? [];
  const hint = known === undefined ? 'check the policy names in the border0 portal' : list.length ? `policies in this organisation: ${list.join(', ')}` : 'this organisation has no policies yet: create them in the border0 portal';
  return new AppError('invalid_params', `unknown border0 polic${names.length > 1 ? 'ies' : 'y'}: ${names.join(', ')}`, hint);
}
