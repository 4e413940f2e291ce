import type { LabHostManager } from '../remote/lab-host-manager';
import type { Handlers } from './dispatch';

type HostHandlers = Pick<Handlers, 'hosts.add' | 'hosts.remove' | 'hosts.trustHostKey'>;

/** Remote lab hosts over SSH; `hosts.list` is the LabsService's, beside `labs.list`. */
export function createHostHandlers(s: { labHosts: LabHostManager }): HostHandlers {
  return {
    'hosts.add': (p) => s.labHosts.add(p),
    'hosts.remove': async (p) => (await s.labHosts.remove(p.id), {}),
    'hosts.trustHostKey': async (p) => (await s.labHosts.trustHostKey(p.id, p.fingerprint), {}),
  };
}
