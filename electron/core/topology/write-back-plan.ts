/**
 * Where the new entry goes, as text edits computed from the parsed nodes' offsets: new lines
 * for block style, an insertion inside the brackets for flow style. Nothing outside the
 * node's publish list is rewritten, so comments, quoting and layout elsewhere stay as they are.
 */
import { isDocument, isMap, isNode, isScalar, isSeq, visit, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { AppError } from '../../../shared/rpc-errors';
import { flowAddPair, flowAppend } from './write-back-plan-flow';
import type { PlanInput } from './write-back-plan-input';
import { formatScalar, quoteStyleOf } from './write-back-scalar';
import { columnOf, insertLinesAfter, insertLinesBefore, type TextEdit } from './write-back-text';

const isNull = (v: unknown): boolean => v == null || (isScalar(v) && v.value == null);
const pad = (n: number): string => ' '.repeat(n);

export function planEdits(input: PlanInput): TextEdit[] {
  const { pair, node } = input;
  const value = pair.value;
  if (isMap(value)) {
    const own = value.items.find((p) => isScalar(p.key) && p.key.value === 'publish');
    if (!own) return value.flow ? flowAddPair(input, value) : blockAddPair(input, value);
    if (isSeq(own.value)) return own.value.flow ? flowAppend(input, own.value, own) : blockAppend(input, own.value);
    if (isNull(own.value) && !value.flow) return blockUnderKey(input, own);
    throw new AppError('refused', `the publish key of node ${node} does not hold a list`, 'write it as a list (publish:\\n  - tcp/22), then try again');
  }
  if (isNull(value) && !input.nodes.flow) return blockUnderKey(input, pair, nodeStep(input));
  throw new AppError('refused', `node ${node} is not written as a map of settings`, 'write the node as `name:` followed by its settings, then try again');
}

/** An existing block list: one more `- entry` line, at the column of the other dashes. */
function blockAppend(input: PlanInput, seq: YAMLSeq): TextEdit[] {
  const { text, eol, items } = input;
  const dash = pad(columnOf(text, rangeOf(seq)[0]));
  const last = seq.items.at(-1);
  const style = quoteStyleOf(last);
  // Keep the spacing after the dash the list already uses (`-   tcp/22`), when it is plain spaces.
  const valueAt = rangeOf(last)[0];
  const gap = text.slice(text.lastIndexOf('-', valueAt - 1) + 1, valueAt);
  const sep = /^ +$/.test(gap) ? gap : ' ';
  const lines = items.map((v) => `${dash}-${sep}${formatScalar(v, 'block', style)}`);
  return [insertLinesAfter(text, rangeOf(seq)[1], lines, eol)];
}

/** A block-map node without `publish`: a new key after its last setting, at the same column. */
function blockAddPair(input: PlanInput, map: YAMLMap): TextEdit[] {
  const { text, eol, items, comment } = input;
  const key = pad(columnOf(text, rangeOf(map)[0]));
  const dash = key + pad(seqStep(input));
  const lines = [...(comment ? [key + comment] : []), `${key}publish:`, ...items.map((v) => `${dash}- ${formatScalar(v, 'block', 'plain')}`)];
  return [insertLinesAfter(text, rangeOf(map)[1], lines, eol)];
}

/**
 * A key with no value (`publish:` or `node:`, or `~`): the list goes on new lines under it.
 * For an empty node the `publish:` key comes first, indented like the other nodes' settings.
 */
function blockUnderKey(input: PlanInput, pair: Pair, keyStep?: number): TextEdit[] {
  const { text, eol, items, comment } = input;
  const keyStart = rangeOf(pair.key)[0];
  const keyCol = columnOf(text, keyStart);
  const edits: TextEdit[] = [];
  let end = rangeOf(pair.key)[1];
  const nul = pair.value as Node | null;
  // `!!null` would end up tagging the new map, which containerlab's YAML library rejects.
  if (nul?.tag) throw new AppError('refused', `node ${input.node}: the empty value of "${String((pair.key as { value?: unknown }).value)}" carries a YAML tag (${nul.tag})`, 'remove the tag, then try again');
  if (nul?.range && nul.range[1] > nul.range[0]) {
    // `~` / `null` written out: remove it (and the spaces before it) so the key can open a block.
    let from = nul.range[0];
    while (text[from - 1] === ' ') from--;
    edits.push({ at: from, del: nul.range[1] - from, text: '' });
    end = nul.range[1];
  }
  const lines: string[] = [];
  let listKey = pad(keyCol);
  if (keyStep !== undefined) {
    listKey = pad(keyCol + keyStep);
    if (comment) lines.push(listKey + comment);
    lines.push(`${listKey}publish:`);
  } else if (comment) {
    edits.push(insertLinesBefore(text, keyStart, [listKey + comment], eol));
  }
  const dash = listKey + pad(seqStep(input));
  lines.push(...items.map((v) => `${dash}- ${formatScalar(v, 'block', 'plain')}`));
  edits.push(insertLinesAfter(text, end, lines, eol));
  return edits;
}

/** How far this file indents a block list under its key (0 for `key:\n- item`), 2 if unknown. */
function seqStep(input: PlanInput): number {
  // The node's own settings first, then the other nodes, then anywhere (e.g. `links:`).
  const scopes = [input.pair.value, input.nodes, input.doc].filter((s): s is Node | Document => isNode(s) || isDocument(s));
  for (const scope of scopes) {
    let step: number | undefined;
    visit(scope, {
      Pair(_, p) {
        if (!isScalar(p.key) || !isSeq(p.value) || p.value.flow || !p.value.range || !p.key.range) return undefined;
        const s = columnOf(input.text, p.value.range[0]) - columnOf(input.text, p.key.range[0]);
        if (s < 0) return undefined;
        step = s;
        return visit.BREAK;
      },
    });
    if (step !== undefined) return step;
  }
  return 2;
}

/** How far the file indents a node's settings under its name, 2 if no node shows it. */
function nodeStep(input: PlanInput): number {
  for (const p of input.nodes.items) {
    if (!isMap(p.value) || p.value.flow || !p.value.range || !isScalar(p.key) || !p.key.range) continue;
    const step = columnOf(input.text, p.value.range[0]) - columnOf(input.text, p.key.range[0]);
    if (step > 0) return step;
  }
  return 2;
}

export function rangeOf(n: unknown): [number, number, number] {
  const r = (n as Node | null)?.range;
  if (!r) throw new AppError('internal', 'a YAML node has no source position');
  return r;
}
