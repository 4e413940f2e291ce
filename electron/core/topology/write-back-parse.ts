/**
 * Parsing for write-back: the same options for the file as read and for the result, so the
 * two can be compared, and the errors a user can act on (template, bad YAML, unknown node).
 */
import { isMap, isScalar, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import { AppError } from '../../../shared/rpc-errors';
import { firstDuplicateKey } from './duplicate-keys';
import { lineOf } from './write-back-text';

// keepSourceTokens: offsets and CST tokens for minimal edits. merge: containerlab's YAML
// library honours `<<: *anchor`, so inheritance through merge keys must be seen too.
// logLevel: no console warnings for odd keys while converting to plain data. uniqueKeys off:
// the library's check is quadratic in a map's size; duplicate-keys.ts looks in one pass.
export const PARSE_OPTIONS = { keepSourceTokens: true, merge: true, logLevel: 'error', uniqueKeys: false } as const;

export function parseTopology(text: string, file: string): Document.Parsed {
  const doc = parseDocument(text, PARSE_OPTIONS);
  const first = doc.errors[0] ?? firstDuplicateKey(doc);
  if (!first) return doc;
  const where = ` (line ${first.linePos?.[0]?.line ?? lineOf(text, first.pos[0])})`;
  if (text.includes('{{')) {
    throw new AppError(
      'refused',
      `${file} is a Go template that is not valid YAML until containerlab renders it${where}`,
      'add the publish entry to the template by hand; the app cannot edit a file it cannot parse',
    );
  }
  const reason = /multiple documents/.test(first.message)
    ? 'it holds more than one YAML document'
    : first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  throw new AppError('refused', `${file} is not valid YAML${where}: ${reason}`, 'fix the file first (containerlab would refuse it too), then try again');
}

export function nodesMapOf(doc: Document.Parsed, file: string): YAMLMap {
  const nodes = doc.getIn(['topology', 'nodes'], true);
  if (!isMap(nodes)) throw new AppError('not_found', `${file} has no topology.nodes map`, 'check that this is the lab\'s containerlab topology file');
  return nodes;
}

/** The `name: settings` pair of a node, matched on the key as written. */
export function findNodePair(nodes: YAMLMap, node: string): Pair | undefined {
  return nodes.items.find((p) => isScalar(p.key) && String(p.key.value) === node);
}

export function nodeNotFound(nodes: YAMLMap, node: string, file: string): AppError {
  const names = nodes.items.filter((p) => isScalar(p.key)).map((p) => String((p.key as { value: unknown }).value));
  const shown = names.length > 20 ? `${names.slice(0, 20).join(', ')}, … (${names.length} in all)` : names.join(', ');
  return new AppError('not_found', `node ${node} is not in topology.nodes of ${file}`, names.length ? `nodes in this file: ${shown}` : 'the file lists no nodes');
}
