/**
 * Reading the YAML node tree the way containerlab's Go decoder (yaml.v2 into typed structs)
 * sees it: scalars read as the text written (a key `01` is the string "01", not 1), aliases
 * followed, `<<` merge keys applied. We keep the tree, not `toJS()`, for its source ranges.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';

export interface MapEntry {
  key: string;
  /** Offset of the key in the expanded text. */
  keyAt: number;
  value: Node | null;
}

export function deref(node: unknown, doc: Document): Node | null {
  let n = node;
  // A bounded loop: an alias cycle is a YAML error already, never a hang here.
  for (let i = 0; i < 16 && isAlias(n); i++) n = n.resolve(doc) ?? null;
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
  return isSeq(n) ? (n.items as Node[]) : undefined;
}

/** Entries of a map, merge keys applied (explicit keys win over merged ones). */
export function mapEntries(node: unknown, doc: Document, depth = 0): MapEntry[] | undefined {
  const n = deref(node, doc);
  if (!isMap(n)) return undefined;
  const own: MapEntry[] = [];
  const merged: MapEntry[] = [];
  for (const pair of n.items) {
    const key = scalarText(pair.key, doc) ?? '';
    const keyAt = startOf(pair.key, doc, n.range?.[0] ?? 0);
    const value = (pair.value as Node | null) ?? null;
    if (key === '<<' && depth < 8) {
      const sources = seqItems(value, doc) ?? [value];
      for (const src of sources) merged.push(...(mapEntries(src, doc, depth + 1) ?? []));
    } else own.push({ key, keyAt, value });
  }
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
  return entries?.find((e) => e.key === key);
}

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
