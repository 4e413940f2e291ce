import { formatPublishEntry, parsePublishEntry } from '../../../shared/publish-grammar';
import { AppError } from '../../../shared/rpc-errors';
import type { LabsService } from '../labs/labs-service';
import type { TopologyService } from '../lab-topology/topology-service';
import type { PublicationService } from '../publications/publication-service';
import { addPublishEntry } from '../topology/write-back';
import type { Handlers } from './dispatch';

type TopologyHandlers = Pick<Handlers, 'topology.list' | 'topology.open' | 'topology.configure' | 'topology.saveToFile'>;

export function createTopologyHandlers(s: { topology: TopologyService; publications: PublicationService; labs: LabsService }): TopologyHandlers {
  return {
    'topology.list': () => s.topology.list(),
    'topology.open': (p) => s.topology.open(p.host, p.path),
    'topology.configure': (p) => s.topology.configure(p.host, p.lab, { autoPublish: p.autoPublish, grammar: p.grammar, provider: p.provider }),
    'topology.saveToFile': async (p) => {
      const pub = s.publications.get(p.publicationId);
      if (pub.origin === 'topology') {
        throw new AppError('conflict', `this publication already comes from ${pub.source ? `${pub.source.file}:${pub.source.line}` : 'the topology file'}`);
      }
      const state = s.topology.stateOf(pub.host, pub.lab);
      if (!state?.file) throw new AppError('not_found', `lab ${pub.lab} has no topology file`, 'open its topology file first (Topology → Open file)');
      if (!state.report) throw new AppError('refused', `the topology file ${state.file} cannot be used: ${state.problem?.message ?? 'not loaded'}`, state.problem?.hint);
      if (state.provider !== pub.provider) {
        throw new AppError('refused', `lab ${pub.lab} publishes its file's entries through "${state.provider}", this publication uses "${pub.provider}"`, `set the lab's provider to "${pub.provider}" first, or publish it again through "${state.provider}"`);
      }
      const grammar = state.report.grammar;
      const text = formatPublishEntry({ type: pub.type, port: pub.port, access: pub.access, accessKind: 'none' });
      const parsed = parsePublishEntry(text, grammar);
      if (!parsed.ok) throw new AppError('refused', `"${text}" cannot be written in the ${grammar} grammar this file uses: ${parsed.error.message}`, parsed.error.hint);
      // The file lives on the lab's host: a remote host's is written over its SFTP session.
      const fs = s.labs.filesFor(pub.host);
      if (!fs) throw new AppError('not_found', `lab host "${pub.host}" is not configured`, 'add the lab host again to write into its files');
      const written = await addPublishEntry({ file: state.file, node: pub.node, entry: text, expectedHash: state.report.hash, fs });
      s.publications.adoptIntoTopology(pub.id, { file: state.file, line: written.line, column: 1, text });
      await s.topology.reloadLab(pub.host, pub.lab);
      return { file: state.file, line: written.line, backupFile: written.backupFile };
    },
  };
}
