/**
 * Reading the YAML node tree the way containerlab's Go decoder (yaml.v2 into typed structs)
 * sees it: scalars read as the text written (a key `01` is the string "01", not 1), aliases
 * followed, `<<` merge keys applied. We keep the tree, not `toJS()`, for its source ranges.
 *
 * Hostile files: aliases resolve through one index per document (the library's
 * `Alias.resolve` walks the whole document for every alias), each map's merged entries are
 * computed once, and every entry or item handed out counts against MAX_TREE_VISITS, so a
 * merge-key or alias fan-out ends in a TreeLimitError instead of running for minutes.
 */
import { isAlias, isMap, isScalar, isSeq, visit, type Alias, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import { MAX_TREE_VISITS } from './topology-limits';

export interface MapEntry {
  key: string;
  /** Offset of the key in the expanded text. */
  keyAt: number;
  value: Node | null;
}

/** The file asks for more reading than any real topology does (see topology-limits.ts). */
export class TreeLimitError extends Error {
  override readonly name = 'TreeLimitError';
  constructor(readonly visits: number) {
    super(`reading it takes more than ${visits.toLocaleString('en-US')} map entries and list items`);
  }
}

interface TreeState {
  aliases?: Map<Alias, Node | null>;
  /** Merged entries per map; `null` while being computed (a merge cycle). */
  entries: WeakMap<YAMLMap, MapEntry[] | null>;
  visits: number;
  limit: number;
}

const states = new WeakMap<Document, TreeState>();

function stateOf(doc: Document): TreeState {
  let s = states.get(doc);
  if (!s) states.set(doc, (s = { entries: new WeakMap(), visits: 0, limit: MAX_TREE_VISITS }));
  return s;
}

/** Tests: a smaller visit limit for `doc`. */
export function setTreeLimit(doc: Document, limit: number): void {
  stateOf(doc).limit = limit;
}

function count(doc: Document, n: number): void {
  const s = stateOf(doc);
  s.visits += n;
  if (s.visits > s.limit) throw new TreeLimitError(s.limit);
}

/**
 * Each alias's anchor, as the library resolves it (the last node with that anchor before
 * the alias, in document order), found in one walk of the document.
 */
function aliasIndex(doc: Document): Map<Alias, Node | null> {
  const s = stateOf(doc);
  if (s.aliases) return s.aliases;
  const anchors = new Map<string, Node>();
  const out = new Map<Alias, Node | null>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) out.set(node, anchors.get(node.source) ?? null);
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  s.aliases = out;
  return out;
}

export function deref(node: unknown, doc: Document): Node | null {
  let n = node;
  // A bounded loop: an alias cycle is a YAML error already, never a hang here.
  for (let i = 0; i < 16 && isAlias(n); i++) n = aliasIndex(doc).get(n) ?? null;
  return (n as Node | null) ?? null;
}

/** A scalar's text as written (quotes removed); undefined for null, maps and lists. */
export function scalarText(node: unknown, doc: Document): string | undefined {
  const n = deref(node, doc);
  if (!isScalar(n) || n.value === null || n.value === undefined) return undefined;
  return typeof n.source === 'string' ? n.source : String(n.value);
}

/** Whether a value is written at all (`key:` alone and `key: null` are not). */
export function hasValue(node: unknown, doc: Document): boolean {
  const n = deref(node, doc);
  return n !== null && !(isScalar(n) && (n.value === null || n.value === undefined));
}

export function startOf(node: unknown, doc: Document, fallback = 0): number {
  const n = deref(node, doc) as { range?: [number, number, number] } | null;
  return n?.range?.[0] ?? fallback;
}

/** The text from `at` to the end of its line (without the line break). */
export function lineFrom(text: string, at: number): string {
  const nl = text.indexOf('\n', at);
  let end = nl < 0 ? text.length : nl;
  if (end > at && text.charCodeAt(end - 1) === 13) end--;
  return text.slice(at, end);
}

/** Where a scalar's characters start: past the opening quote of a quoted one. */
export function contentStart(node: Scalar, text: string): number {
  const start = node.range?.[0] ?? 0;
  if (node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE') return start;
  const value = String(node.source ?? node.value ?? '');
  // Escapes make offsets inside the value unreliable; then point at the opening quote.
  return text.startsWith(value, start + 1) ? start + 1 : start;
}

export function isMapNode(node: unknown, doc: Document): boolean {
  return isMap(deref(node, doc));
}

export function seqItems(node: unknown, doc: Document): Node[] | undefined {
  const n = deref(node, doc);
  if (!isSeq(n)) return undefined;
  count(doc, n.items.length);
  return n.items as Node[];
}

/** Entries of a map, merge keys applied (explicit keys win over merged ones). */
export function mapEntries(node: unknown, doc: Document): MapEntry[] | undefined {
  const n = deref(node, doc);
  if (!isMap(n)) return undefined;
  const s = stateOf(doc);
  let entries = s.entries.get(n);
  if (entries === undefined) {
    s.entries.set(n, null);
    entries = computeEntries(n, doc);
    s.entries.set(n, entries);
  }
  // A map merging itself (directly or around a loop) adds nothing more than it has.
  if (entries === null) return [];
  count(doc, entries.length);
  return entries;
}

function computeEntries(n: YAMLMap, doc: Document): MapEntry[] {
  const own: MapEntry[] = [];
  const merged: MapEntry[] = [];
  for (const pair of n.items) {
    const key = scalarText(pair.key, doc) ?? '';
    const keyAt = startOf(pair.key, doc, n.range?.[0] ?? 0);
    const value = (pair.value as Node | null) ?? null;
    if (key === '<<') {
      const sources = seqItems(value, doc) ?? [value];
      for (const src of sources) for (const e of mapEntries(src, doc) ?? []) merged.push(e);
    } else own.push({ key, keyAt, value });
  }
  if (!merged.length) return own;
  const seen = new Set(own.map((e) => e.key));
  const out = [...own];
  for (const e of merged) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    out.push(e);
  }
  return out;
}

export function mapGet(entries: MapEntry[] | undefined, key: string): MapEntry | undefined {
  if (!entries) return undefined;
  // Small maps: a look along them is cheapest. Big ones (a node list) get an index once.
  if (entries.length <= 16) return entries.find((e) => e.key === key);
  let index = keyIndexes.get(entries);
  if (!index) {
    index = new Map();
    for (const e of entries) if (!index.has(e.key)) index.set(e.key, e);
    keyIndexes.set(entries, index);
  }
  return index.get(key);
}

const keyIndexes = new WeakMap<MapEntry[], Map<string, MapEntry>>();

/** A map of scalars (`env`, `labels`, `extras`) as strings; other values are skipped. */
export function stringMap(node: unknown, doc: Document): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of mapEntries(node, doc) ?? []) {
    const v = scalarText(e.value, doc);
    if (v !== undefined) out[e.key] = v;
  }
  return out;
}

/** A list of scalars (`binds`) as strings. */
export function stringList(node: unknown, doc: Document): string[] {
  const out: string[] = [];
  for (const item of seqItems(node, doc) ?? []) {
    const v = scalarText(item, doc);
    if (v !== undefined) out.push(v);
  }
  return out;
}
