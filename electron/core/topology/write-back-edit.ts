/**
 * The text half of write-back, no I/O: given a topology file's text, the same text with one
 * more entry in a node's `publish` list, and the 1-based line of that entry.
 */
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Pair } from 'yaml';
import { AppError } from '../../../shared/rpc-errors';
import { copiedComment, inheritedPublish, type InheritedPublish } from './write-back-inherited';
import { findNodePair, nodeNotFound, nodesMapOf, parseTopology } from './write-back-parse';
import { planEdits } from './write-back-plan';
import { publishedKey } from './write-back-scalar';
import { applyEdits, lineBreakOf } from './write-back-text';
import { verifyEdit } from './write-back-verify';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export function addEntryToText(text: string, file: string, node: string, entry: string): { text: string; line: number } {
  const doc = parseTopology(text, file);
  const nodes = nodesMapOf(doc, file);
  const pair = findNodePair(nodes, node);
  if (!pair) throw nodeNotFound(nodes, node, file);
  if (isAlias(pair.value)) {
    throw new AppError('refused', `node ${node} is an alias (*${pair.value.source}) shared with other parts of ${file}`, 'write the node\'s settings out in full, then try again');
  }
  refuseShared(doc, pair, node);

  const before = doc.toJS() as Obj;
  const nodeJs = asObj(asObj(asObj(before.topology).nodes)[node]);
  const ownPair = isMap(pair.value) ? pair.value.items.find((p) => isScalar(p.key) && p.key.value === 'publish') : undefined;
  const current = Array.isArray(nodeJs.publish) ? (nodeJs.publish as unknown[]) : [];

  // The list containerlab uses today. Writing a node list hides an inherited one, so that is
  // copied along; a list that only comes from a `<<:` merge is inherited the same way.
  let inherited: InheritedPublish | undefined;
  if (current.length === 0) inherited = inheritedPublish(before.topology, node);
  else if (!ownPair) inherited = { from: 'the anchor merged in with <<', entries: current };
  const effective = inherited ? inherited.entries : current;

  const key = publishedKey(entry);
  const same = effective.find((e) => publishedKey(e) === key);
  if (same !== undefined) {
    const where = inherited ? ` (inherited from ${inherited.from})` : '';
    throw new AppError('conflict', `node ${node} already publishes ${key}: "${String(same)}"${where}`, 'publish another port or type, or change the existing entry in the file');
  }

  const copied = inherited ? inherited.entries.map((e) => String(e)) : [];
  const edits = planEdits({
    text,
    eol: lineBreakOf(text),
    doc,
    nodes,
    pair,
    node,
    items: [...copied, entry],
    comment: inherited ? copiedComment(inherited.from) : undefined,
  });
  const updated = applyEdits(text, edits);
  const expected = inherited ? [...copied, entry] : [...current, entry];
  const line = verifyEdit(before, updated, file, node, expected);
  return { text: updated, line };
}

/** A node map or list that other parts of the file reuse through an anchor would change them too. */
function refuseShared(doc: Document.Parsed, pair: Pair, node: string): void {
  const targets = [pair.value];
  if (isMap(pair.value)) targets.push(pair.value.get('publish', true));
  const anchors = new Set(targets.filter((t) => (isMap(t) || isSeq(t)) && t.anchor).map((t) => (t as { anchor: string }).anchor));
  if (anchors.size === 0) return;
  let used: string | undefined;
  visit(doc, {
    Alias(_, a) {
      if (!anchors.has(a.source)) return undefined;
      used = a.source;
      return visit.BREAK;
    },
  });
  if (used) {
    throw new AppError('refused', `node ${node} is shared through the anchor &${used}: changing it would change other nodes too`, 'add the entry by hand where you want it');
  }
}
