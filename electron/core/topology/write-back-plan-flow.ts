/**
 * Flow style (`publish: [tcp/22]`, `n1: {kind: linux}`): the entry goes inside the brackets,
 * right after the last item, so only that collection's text changes. A copied inherited list
 * gets its comment on a line of its own above, since a comment cannot sit inside `[...]` on
 * one line.
 */
import { isNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { AppError } from '../../../shared/rpc-errors';
import type { PlanInput } from './write-back-plan-input';
import { formatScalar, quoteStyleOf } from './write-back-scalar';
import { indentOfLine, insertLinesBefore, type TextEdit } from './write-back-text';

/** `[a, b]` → `[a, b, entry]`; `[]` → `[entry]` (or `[copied..., entry]`). */
export function flowAppend(input: PlanInput, seq: YAMLSeq, own: Pair): TextEdit[] {
  const { text, items } = input;
  const last = seq.items.at(-1);
  const style = quoteStyleOf(last);
  const written = items.map((v) => formatScalar(v, 'flow', style));
  const edits = commentAbove(input, startOf(own.key));
  if (last !== undefined) {
    if (!isNode(last) || !last.range) throw notEditable(input.node);
    edits.push({ at: last.range[1], del: 0, text: written.map((w) => `, ${w}`).join('') });
  } else {
    edits.push({ at: openingBracket(text, seq, '['), del: 0, text: written.join(', ') });
  }
  return edits;
}

/** `{kind: linux}` → `{kind: linux, publish: [entry]}`. */
export function flowAddPair(input: PlanInput, map: YAMLMap): TextEdit[] {
  const { text, items } = input;
  const list = `publish: [${items.map((v) => formatScalar(v, 'flow', 'plain')).join(', ')}]`;
  const edits = commentAbove(input, startOf(map));
  const last = map.items.at(-1);
  if (!last) {
    edits.push({ at: openingBracket(text, map, '{'), del: 0, text: list });
    return edits;
  }
  const keyEnd = isNode(last.key) && last.key.range ? last.key.range[1] : undefined;
  const valueEnd = isNode(last.value) && last.value.range ? last.value.range[1] : undefined;
  const end = Math.max(keyEnd ?? -1, valueEnd ?? -1);
  if (end < 0) throw notEditable(input.node);
  edits.push({ at: end, del: 0, text: `, ${list}` });
  return edits;
}

function commentAbove(input: PlanInput, offset: number): TextEdit[] {
  if (!input.comment) return [];
  return [insertLinesBefore(input.text, offset, [' '.repeat(indentOfLine(input.text, offset)) + input.comment], input.eol)];
}

function startOf(n: unknown): number {
  if (!isNode(n) || !n.range) throw new AppError('internal', 'a YAML node has no source position');
  return n.range[0];
}

/** Just inside the opening bracket of an empty flow collection. */
function openingBracket(text: string, n: YAMLSeq | YAMLMap, bracket: '[' | '{'): number {
  const at = startOf(n);
  if (text[at] !== bracket) throw new AppError('internal', `expected "${bracket}" at offset ${at}`);
  return at + 1;
}

const notEditable = (node: string) =>
  new AppError('refused', `the settings of node ${node} are written in a form this app cannot edit`, 'add the entry to its publish list by hand');
