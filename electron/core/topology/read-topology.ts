/**
 * The top of a topology file: `name`, `prefix`, `mgmt` and the `topology` blocks. What every
 * topology must have (a name, a `topology.nodes` map) is a shape error: without it nothing
 * else means anything. Everything else degrades to diagnostics.
 */
import type { Document } from 'yaml';
import type { TopologyReport } from '../../../shared/topology-model';
import { emptyDefinition, readDefinition, type Definition, type ReadContext } from './definition';
import type { TopologyDefinitions } from './inheritance';
import type { SourceLocator } from './source-locator';
import { TopologyFileError } from './topology-file-error';
import { hasValue, lineFrom, mapEntries, mapGet, scalarText, startOf, type MapEntry } from './yaml-tree';

export interface TopologySource {
  name: string;
  /** As written; undefined when absent or null (containerlab then uses `clab`). */
  prefix?: string;
  mgmt: TopologyReport['mgmt'];
  defs: TopologyDefinitions;
  /** In file order. */
  nodes: Definition[];
}

export function readTopology(doc: Document, ctx: ReadContext, locator: SourceLocator): TopologySource {
  const shape = (at: number, message: string, hint: string) => {
    const loc = locator.at(at);
    return new TopologyFileError({ kind: 'shape', ...loc, text: locator.lineText(loc.line), message, hint });
  };
  const top = mapEntries(doc.contents, doc);
  const docStart = startOf(doc.contents, doc);
  const empty = doc.contents === null || !hasValue(doc.contents, doc);
  if (!top) throw shape(docStart, empty ? 'the file is empty' : 'the file is not a containerlab topology: its top level is not a map', 'a topology starts with name: <lab name> and a topology: section with nodes:');
  const name = scalarText(mapGet(top, 'name')?.value, doc)?.trim();
  if (!name) throw shape(mapGet(top, 'name')?.keyAt ?? docStart, 'the topology has no name', 'add name: <lab name> at the top: containerlab names the containers and the lab directory after it');
  const topology = mapGet(top, 'topology');
  const sections = mapEntries(topology?.value, doc);
  const nodesEntry = mapGet(sections, 'nodes');
  const nodes = mapEntries(nodesEntry?.value, doc);
  if (!nodes) {
    const at = nodesEntry?.keyAt ?? topology?.keyAt ?? docStart;
    throw shape(at, nodesEntry ? 'topology.nodes is not a map of nodes' : 'the topology has no topology.nodes map', 'list the nodes under topology: nodes:, one "<node name>:" key each, with its kind and image below');
  }
  const mgmt = mapEntries(mapGet(top, 'mgmt')?.value, doc);
  const mgmtValue = (key: string) => scalarText(mapGet(mgmt, key)?.value, doc)?.trim() || undefined;
  const defaultsEntry = mapGet(sections, 'defaults');
  return {
    name,
    prefix: scalarText(mapGet(top, 'prefix')?.value, doc),
    mgmt: { network: mgmtValue('network') ?? 'clab', ipv4Subnet: mgmtValue('ipv4-subnet'), ipv6Subnet: mgmtValue('ipv6-subnet') },
    defs: {
      defaults: defaultsEntry ? readDefinition('defaults', 'defaults', defaultsEntry.keyAt, defaultsEntry.value, ctx) : emptyDefinition('defaults', 'defaults', 0),
      kinds: readBlocks('kind', mapGet(sections, 'kinds'), ctx),
      groups: readBlocks('group', mapGet(sections, 'groups'), ctx),
    },
    nodes: nodes.map((e) => readDefinition('node', e.key, e.keyAt, e.value, ctx)),
  };
}

function readBlocks(level: 'kind' | 'group', entry: MapEntry | undefined, ctx: ReadContext): Map<string, Definition> {
  const out = new Map<string, Definition>();
  if (!entry) return out;
  const entries = mapEntries(entry.value, ctx.doc);
  if (!entries) {
    if (hasValue(entry.value, ctx.doc)) {
      ctx.report(entry.keyAt, {
        severity: 'error',
        text: lineFrom(ctx.text, entry.keyAt),
        message: `topology.${level}s is not a map`,
        hint: `put one "<${level} name>:" key under it, with the settings below`,
      });
    }
    return out;
  }
  for (const e of entries) out.set(e.key, readDefinition(level, e.key, e.keyAt, e.value, ctx));
  return out;
}
