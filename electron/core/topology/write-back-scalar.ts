/**
 * How a publish entry is written into YAML, and when two entries publish the same thing.
 */
import { isScalar, parse, Scalar } from 'yaml';
import { parsePublishEntry } from '../../../shared/publish-grammar';

export type QuoteStyle = 'plain' | 'single' | 'double';

/** The quoting the list already uses, so a new item looks like its neighbours. */
export function quoteStyleOf(item: unknown): QuoteStyle {
  if (isScalar(item) && item.type === Scalar.QUOTE_DOUBLE) return 'double';
  if (isScalar(item) && item.type === Scalar.QUOTE_SINGLE) return 'single';
  return 'plain';
}

/**
 * The entry as a YAML scalar for a block list (`- x`) or a flow list (`[x]`). Plain when the
 * YAML parser reads it back as the same string in that context (a comma is fine in a block
 * list but splits a flow list; `22` alone would read back as a number), quoted otherwise.
 */
export function formatScalar(value: string, context: 'block' | 'flow', style: QuoteStyle = 'plain'): string {
  const printable = ![...value].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f');
  if (style === 'single' && printable) return `'${value.replace(/'/g, "''")}'`;
  if (style !== 'double' && printable && readsBackAs(value, context)) return value;
  return JSON.stringify(value); // JSON strings are valid YAML double-quoted scalars
}

function readsBackAs(value: string, context: 'block' | 'flow'): boolean {
  if (value === '' || value !== value.trim()) return false;
  try {
    const read: unknown = parse(context === 'flow' ? `[${value}]` : `- ${value}`);
    return Array.isArray(read) && read.length === 1 && read[0] === value;
  } catch {
    return false;
  }
}

/**
 * What an entry publishes: `type/port` with containerlab's own reading (an allow-list turns
 * tcp into tls). Either grammar is accepted, since the file may be in either.
 */
export function publishedKey(text: unknown): string {
  const s = String(text);
  for (const grammar of ['mysocketio', 'border0'] as const) {
    const r = parsePublishEntry(s, grammar);
    if (r.ok) return `${r.entry.type}/${r.entry.port}`;
  }
  const [type = '', port = ''] = s.split('/');
  return `${type.trim().toLowerCase()}/${port.trim()}`;
}
