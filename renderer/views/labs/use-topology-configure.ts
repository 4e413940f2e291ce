import { useState } from 'react';
import type { ParamsIn } from '../../../shared/contract';
import type { LabTopologyState } from '../../../shared/topology-model';
import { useAction } from '../../lib/use-action';
import { configureTopology } from './actions';

export type Patch = Omit<ParamsIn<'topology.configure'>, 'host' | 'lab'>;

/**
 * Sends a change and shows it at once (a checkbox that waits for the round trip looks broken);
 * the core's answer, or an error toast, then takes over.
 */
export function useConfigure(state: LabTopologyState) {
  const [pending, setPending] = useState<Patch>({});
  // Not exclusive: a toggle right after a select is a second, independent change.
  const action = useAction((patch: Patch, _what: string) => configureTopology({ host: state.host, lab: state.lab, ...patch }), {
    failure: (_patch, what) => `Changing ${what} of lab ${state.lab} failed`,
    exclusive: false,
  });
  const configure = async (patch: Patch, what: string) => {
    setPending((p) => ({ ...p, ...patch }));
    await action.run(patch, what);
    setPending((p) => Object.fromEntries(Object.entries(p).filter(([k]) => !(k in patch))));
  };
  return { pending, configure };
}
