/**
 * "Clicks back to code" for one publication: its entry is written into its node's `publish`
 * list in the lab's topology file (on the lab's host: a remote host's over SFTP), and the
 * publication becomes the file's. Refused, with what to do, when the file cannot take it.
 */
import type { Result } from '../../../shared/contract';
import { formatPublishEntry, parsePublishEntry } from '../../../shared/publish-grammar';
import type { LabTopologyState } from '../../../shared/topology-model';
import { AppError } from '../../../shared/rpc-errors';
import type { HostFiles } from '../labs/host-files';
import type { PublicationService } from '../publications/publication-service';
import { addPublishEntry } from '../topology/write-back';

export interface SaveDeps {
  publications: PublicationService;
  stateOf(host: string, lab: string): LabTopologyState | undefined;
  files(host: string): HostFiles | undefined;
  reloadLab(host: string, lab: string): Promise<void>;
}

export async function savePublicationToFile(d: SaveDeps, publicationId: string): Promise<Result<'topology.saveToFile'>> {
  const pub = d.publications.get(publicationId);
  if (pub.origin === 'topology') {
    throw new AppError('conflict', `this publication already comes from ${pub.source ? `${pub.source.file}:${pub.source.line}` : 'the topology file'}`);
  }
  const state = d.stateOf(pub.host, pub.lab);
  if (!state?.file) throw new AppError('not_found', `lab ${pub.lab} has no topology file`, 'open its topology file first (Topology → Open file)');
  if (!state.report) throw new AppError('refused', `the topology file ${state.file} cannot be used: ${state.problem?.message ?? 'not loaded'}`, state.problem?.hint);
  if (!state.ownership.mine && !state.ownership.optedIn) {
    // Its file's entries are not published here: a saved entry would be unpublished at once.
    throw new AppError('refused', `lab ${pub.lab} was ${state.ownership.reason}: this app does not publish its file's entries`, 'opt in to publishing this lab first (its topology strip), then save again');
  }
  if (state.provider !== pub.provider) {
    throw new AppError('refused', `lab ${pub.lab} publishes its file's entries through "${state.provider}", this publication uses "${pub.provider}"`, `set the lab's provider to "${pub.provider}" first, or publish it again through "${state.provider}"`);
  }
  const grammar = state.report.grammar;
  const text = formatPublishEntry({ type: pub.type, port: pub.port, access: pub.access, accessKind: 'none' });
  const parsed = parsePublishEntry(text, grammar);
  if (!parsed.ok) throw new AppError('refused', `"${text}" cannot be written in the ${grammar} grammar this file uses: ${parsed.error.message}`, parsed.error.hint);
  const fs = d.files(pub.host);
  if (!fs) throw new AppError('not_found', `lab host "${pub.host}" is not configured`, 'add the lab host again to write into its files');
  const written = await addPublishEntry({ file: state.file, node: pub.node, entry: text, expectedHash: state.report.hash, fs });
  d.publications.adoptIntoTopology(pub.id, { file: state.file, line: written.line, column: 1, text });
  await d.reloadLab(pub.host, pub.lab);
  return { file: state.file, line: written.line, backupFile: written.backupFile };
}
