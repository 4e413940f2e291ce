import { EVENT_NAMES } from '../../../shared/contract';
import { AppError } from '../../../shared/rpc-errors';
import type { LabsService } from '../labs/labs-service';
import type { LogStore } from '../logs/log-store';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { PublicationService } from '../publications/publication-service';
import type { Reconciler } from '../tunnels/reconciler';
import type { TopologyService } from '../lab-topology/topology-service';
import { createTopologyHandlers } from './topology-handlers';
import { createAccountHandlers } from './account-handlers';
import { createHostHandlers } from './host-handlers';
import type { Border0Account } from '../border0/account/border0-account';
import type { LabHostManager } from '../remote/lab-host-manager';
import type { Handlers } from './dispatch';
import { describeMethods } from './dispatch';

interface Services {
  labs: LabsService;
  publications: PublicationService;
  providers: ProviderRegistry;
  reconciler: Reconciler;
  logs: LogStore;
  topology: TopologyService;
  border0: Border0Account;
  labHosts: LabHostManager;
}

/** One handler per contract method; parameters arrive already validated. */
export function createHandlers(s: Services): Handlers {
  return {
    'rpc.discover': () => ({ methods: describeMethods(), events: [...EVENT_NAMES] }),
    'hosts.list': () => s.labs.hosts(),
    'labs.list': () => s.labs.labs(),
    ...createHostHandlers(s),
    'publications.list': () => s.publications.list(),
    'publications.add': (p) => {
      if (!s.labs.dialerFor(p.host)) {
        throw new AppError('not_found', `unknown lab host "${p.host}"`, `known hosts: ${s.labs.hosts().map((h) => h.id).join(', ')}`, 'host');
      }
      return { id: s.publications.add(p).id };
    },
    'publications.remove': (p) => {
      s.publications.remove(p.id);
      return {};
    },
    'tunnels.list': () => s.reconciler.list(),
    'providers.list': () => s.providers.list(),
    'providers.configure': async (p) => {
      const { id, ...settings } = p;
      await s.providers.get(id).configure(settings);
      return {};
    },
    'providers.trustHostKey': async (p) => {
      const provider = s.providers.get(p.id);
      if (!provider.trustHostKey) throw new AppError('invalid_params', `provider ${p.id} has no host keys`, undefined, 'id');
      await provider.trustHostKey(p.fingerprint);
      return {};
    },
    'providers.forgetHostKey': async (p) => {
      const provider = s.providers.get(p.id);
      if (!provider.forgetHostKey) throw new AppError('invalid_params', `provider ${p.id} has no host keys`, undefined, 'id');
      await provider.forgetHostKey();
      return {};
    },
    'logs.query': (p) => s.logs.query(p),
    ...createTopologyHandlers(s),
    ...createAccountHandlers(s),
  };
}
