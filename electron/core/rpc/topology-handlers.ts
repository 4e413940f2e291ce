import type { TopologyService } from '../lab-topology/topology-service';
import type { Handlers } from './dispatch';

type TopologyHandlers = Pick<Handlers, 'topology.list' | 'topology.open' | 'topology.configure' | 'topology.saveToFile'>;

export function createTopologyHandlers(s: { topology: TopologyService }): TopologyHandlers {
  return {
    'topology.list': () => s.topology.list(),
    'topology.open': (p) => s.topology.open(p.host, p.path),
    'topology.configure': (p) => s.topology.configure(p.host, p.lab, { autoPublish: p.autoPublish, grammar: p.grammar, provider: p.provider, optIn: p.optIn }),
    'topology.saveToFile': (p) => s.topology.saveToFile(p.publicationId),
  };
}
