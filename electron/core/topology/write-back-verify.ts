/**
 * The safety net of write-back: the edited text is parsed again and must read exactly like
 * the original except for the node's publish list, which must be the expected one. Offsets,
 * anchors and odd layouts can surprise a text edit; a surprise is refused, never written.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { AppError } from '../../../shared/rpc-errors';
import { firstDuplicateKey } from './duplicate-keys';
import { findNodePair, PARSE_OPTIONS } from './write-back-parse';
import { lineOf } from './write-back-text';

type Obj = Record<string, unknown>;

/** Returns the 1-based line of the new (last) entry of the node's list. */
export function verifyEdit(before: Obj, updated: string, file: string, node: string, expected: unknown[]): number {
  const fail = (why: string) =>
    new AppError('refused', `cannot add the entry to node ${node} without changing other parts of ${file} (${why})`, 'add the entry to the publish list by hand');
  const doc = parseDocument(updated, PARSE_OPTIONS);
  const error = doc.errors[0] ?? firstDuplicateKey(doc);
  if (error) throw fail(`the result would not parse: ${error.message.split('\n')[0]}`);

  const want = structuredClone(before);
  const nodes = (want.topology as Obj).nodes as Obj;
  const settings = nodes[node];
  nodes[node] = { ...(settings && typeof settings === 'object' ? (settings as Obj) : {}), publish: expected };
  if (!isDeepStrictEqual(doc.toJS(), want)) throw fail('the file would read differently');

  const nodesMap = doc.getIn(['topology', 'nodes'], true);
  const pair = isMap(nodesMap) ? findNodePair(nodesMap, node) : undefined;
  const list = isMap(pair?.value) ? pair.value.items.find((p) => isScalar(p.key) && p.key.value === 'publish')?.value : undefined;
  const last = isSeq(list) ? list.items.at(-1) : undefined;
  const range = (last as { range?: [number, number, number] } | undefined)?.range;
  if (!range) throw fail('the new entry cannot be located');
  return lineOf(updated, range[0]);
}
