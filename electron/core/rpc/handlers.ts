import { EVENT_NAMES } from '../../../shared/contract';
import type { LabsService } from '../labs/labs-service';
import type { LogStore } from '../logs/log-store';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { PublicationService } from '../publications/publication-service';
import type { Reconciler } from '../tunnels/reconciler';
import type { TopologyService } from '../lab-topology/topology-service';
import { createTopologyHandlers } from './topology-handlers';
import { createAccountHandlers } from './account-handlers';
import { createHostHandlers } from './host-handlers';
import { createShareHandlers } from './share-handlers';
import type { ShareService } from '../shares/share-service';
import type { OwnerTerminals } from '../terminals/owner-terminals';
import type { TerminalService } from '../terminals/terminal-service';
import { createTerminalHandlers } from './terminal-handlers';
import type { AudienceService } from '../audience/audience-service';
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
  shares: ShareService;
  terminals: TerminalService;
  ownerTerminals: OwnerTerminals;
  audience: AudienceService;
}

/**
 * One handler per contract method, each one line into a service: parameters arrive already
 * validated (dispatch.ts), and every rule about them lives in the service that owns the data.
 */
export function createHandlers(s: Services): Handlers {
  return {
    'rpc.discover': () => ({ methods: describeMethods(), events: [...EVENT_NAMES] }),
    'hosts.list': () => s.labs.hosts(),
    'labs.list': () => s.labs.labs(),
    ...createHostHandlers(s),
    'publications.list': () => s.publications.list(),
    'publications.add': (p) => ({ id: s.publications.add(p).id }),
    'publications.remove': (p) => (s.publications.remove(p.id), {}),
    'tunnels.list': () => s.reconciler.list(),
    'providers.list': () => s.providers.list(),
    'providers.configure': async (p) => (await s.providers.configure(p), {}),
    'providers.trustHostKey': async (p) => (await s.providers.trustHostKey(p.id, p.fingerprint), {}),
    'providers.forgetHostKey': async (p) => (await s.providers.forgetHostKey(p.id), {}),
    'logs.query': (p) => s.logs.query(p),
    'logs.status': () => s.logs.fileStatus(),
    ...createTopologyHandlers(s),
    ...createAccountHandlers(s),
    ...createShareHandlers(s),
    ...createTerminalHandlers(s),
  };
}
