/**
 * One settings block of a topology: a node, a group, a kind or `defaults`. containerlab gives
 * all four the same shape (NodeDefinition); we read the fields the app needs, with where each
 * publish entry sits in the file.
 */
import { isScalar, type Document, type Node } from 'yaml';
import type { PublishSource, TopologyDiagnostic } from '../../../shared/topology-model';
import { contentStart, deref, hasValue, lineFrom, mapEntries, mapGet, scalarText, seqItems, startOf, stringList, stringMap, type MapEntry } from './yaml-tree';

export interface PublishItem {
  /** The entry as written (env-expanded); '' for a null item. */
  text: string;
  /** Offset in the expanded text where `text` starts. */
  at: number;
  /** Set when the item is no string at all (a map or a list): it cannot be an entry. */
  notAString?: 'map' | 'list';
}

export interface PublishList {
  level: PublishSource;
  /** The node, group or kind name; 'defaults' for defaults. */
  owner: string;
  /** Offset of the list's `publish` key. */
  at: number;
  items: PublishItem[];
}

export interface Definition {
  level: PublishSource;
  name: string;
  /** Offset of the block's key (the node name, the group name, ...). */
  at: number;
  kind?: string;
  group?: string;
  image?: string;
  type?: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  binds: string[];
  extras?: Record<string, string>;
  publish?: PublishList;
}

export interface ReadContext {
  doc: Document;
  /** The expanded text the document was parsed from. */
  text: string;
  report(at: number, d: Omit<TopologyDiagnostic, 'file' | 'line' | 'column'>): void;
}

export function emptyDefinition(level: PublishSource, name: string, at: number): Definition {
  return { level, name, at, env: {}, labels: {}, binds: [] };
}

export function readDefinition(level: PublishSource, name: string, at: number, node: unknown, ctx: ReadContext): Definition {
  const def = emptyDefinition(level, name, at);
  const entries = mapEntries(node, ctx.doc);
  if (!entries) {
    if (hasValue(node, ctx.doc)) {
      const what = level === 'defaults' ? 'defaults' : `${level} ${name}`;
      ctx.report(startOf(node, ctx.doc, at), {
        severity: 'error',
        text: lineFrom(ctx.text, startOf(node, ctx.doc, at)),
        message: `${what} is not a map of settings`,
        hint: 'indent its settings (kind:, image:, ...) under it, or leave it empty',
        node: level === 'node' ? name : undefined,
      });
    }
    return def;
  }
  const get = (key: string) => scalarText(mapGet(entries, key)?.value, ctx.doc)?.trim() || undefined;
  def.kind = get('kind');
  def.group = get('group');
  def.image = get('image');
  def.type = get('type');
  def.env = stringMap(mapGet(entries, 'env')?.value, ctx.doc);
  def.labels = stringMap(mapGet(entries, 'labels')?.value, ctx.doc);
  def.binds = stringList(mapGet(entries, 'binds')?.value, ctx.doc);
  const extras = mapGet(entries, 'extras');
  if (extras) def.extras = stringMap(extras.value, ctx.doc);
  const publish = mapGet(entries, 'publish');
  if (publish) def.publish = readPublish(def, publish, ctx);
  return def;
}

function readPublish(def: Definition, entry: MapEntry, ctx: ReadContext): PublishList | undefined {
  const value = deref(entry.value, ctx.doc);
  const items = seqItems(value, ctx.doc);
  if (!items) {
    if (!hasValue(value, ctx.doc) || scalarText(value, ctx.doc) === '') return undefined;
    const at = startOf(value, ctx.doc, entry.keyAt);
    const text = scalarText(value, ctx.doc);
    ctx.report(at, {
      severity: 'error',
      text: text ?? lineFrom(ctx.text, entry.keyAt),
      message: `publish of ${def.level === 'defaults' ? 'defaults' : `${def.level} ${def.name}`} is not a list`,
      hint: text !== undefined ? `write it as a list: publish: [${text}]` : 'write one entry per line, each starting with "- ", e.g. - tcp/22',
      node: def.level === 'node' ? def.name : undefined,
    });
    return undefined;
  }
  return { level: def.level, owner: def.name, at: entry.keyAt, items: items.map((n) => readItem(n, entry.keyAt, ctx)) };
}

function readItem(node: Node | null, fallback: number, ctx: ReadContext): PublishItem {
  const n = deref(node, ctx.doc);
  if (n === null) return { text: '', at: fallback };
  const at = startOf(n, ctx.doc, fallback);
  if (isScalar(n)) return { text: scalarText(n, ctx.doc) ?? '', at: contentStart(n, ctx.text) };
  const notAString = seqItems(n, ctx.doc) ? 'list' : 'map';
  return { text: lineFrom(ctx.text, at), at, notAString };
}
