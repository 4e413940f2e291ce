/**
 * The `publish:` entry grammars containerlab once supported (facts: docs/containerlab.md, "The publish: block").
 * mysocketio era: `<tcp|tls|http|https>/<port>[/<emails and domains>]`; an allow-list turns
 * tcp into tls. border0 era: `<ssh|tls|http|https>/<port>[/<policy>,...]`. Parsing never
 * throws: every problem is a value with the column it starts at and a one-line hint.
 */
import type { PublicationType } from './model';

export type PublishGrammar = 'mysocketio' | 'border0';

export interface PublishEntry {
  type: PublicationType;
  port: number;
  /** mysocketio: emails (with `@`) and domains; border0: policy names. */
  access: string[];
  /** What `access` holds, so a provider can map it (cloud auth vs policies). */
  accessKind: 'none' | 'emails-domains' | 'policies';
}

export interface GrammarError {
  message: string;
  hint: string;
  /** 0-based offset into the entry text where the problem starts. */
  offset: number;
}

export type ParseResult = { ok: true; entry: PublishEntry } | { ok: false; error: GrammarError };

const TYPES: Record<PublishGrammar, readonly PublicationType[]> = {
  mysocketio: ['tcp', 'tls', 'http', 'https'],
  border0: ['ssh', 'tls', 'http', 'https'],
};

/** Types this app adds to both grammars; containerlab would refuse them ("type udp is not supported"). */
export const EXTENSION_TYPES: readonly PublicationType[] = ['udp'];
export const isExtensionType = (t: PublicationType): boolean => EXTENSION_TYPES.includes(t);

const fail = (message: string, hint: string, offset: number): ParseResult => ({ ok: false, error: { message, hint, offset } });

export function parsePublishEntry(text: string, grammar: PublishGrammar): ParseResult {
  if (typeof text !== 'string' || text.trim() === '') {
    return fail('empty publish entry', `write <type>/<port>, e.g. ${grammar === 'border0' ? 'ssh/22' : 'tcp/22'}`, 0);
  }
  const parts = text.split('/');
  if (parts.length > 3) {
    const offset = parts.slice(0, 3).join('/').length;
    return fail(`too many parts: "${text}" has ${parts.length}, at most 3 are allowed`, 'write <type>/<port>[/<access list>]; separate list items with commas, not slashes', offset);
  }
  const [rawType, rawPort, rawAccess] = parts;
  const type = rawType.trim().toLowerCase();
  const allowed = [...TYPES[grammar], ...EXTENSION_TYPES];
  if (!allowed.includes(type as PublicationType)) {
    const other: PublishGrammar = grammar === 'border0' ? 'mysocketio' : 'border0';
    const hint = TYPES[other].includes(type as PublicationType)
      ? `"${type}" belongs to the ${other} grammar; switch the lab's grammar to ${other}, or use one of ${allowed.join(', ')}`
      : `use one of ${allowed.join(', ')}`;
    return fail(`type ${rawType.trim() || '(empty)'} is not supported`, hint, 0);
  }
  const portOffset = rawType.length + 1;
  // Without a "/" the port is missing at the end of the text, not past it.
  if (rawPort === undefined || rawPort.trim() === '') return fail('the port is missing', `write ${type}/<port>, e.g. ${type}/${type === 'http' ? 80 : 22}`, Math.min(portOffset, text.length));
  const p = rawPort.trim();
  if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 65535) {
    return fail(`port ${p} is not a number from 1 to 65535`, 'write the node port as a whole number, e.g. 22 or 57400', portOffset);
  }
  const port = Number(p);
  if (rawAccess === undefined) return { ok: true, entry: { type: type as PublicationType, port, access: [], accessKind: 'none' } };

  const accessOffset = portOffset + rawPort.length + 1;
  if (type === 'udp') {
    // Identities and policies are checked by border0, which carries no UDP: a list here could
    // only be dropped, and publishing open what the file restricts is never done.
    return fail('udp entries take no access list: no provider that carries UDP checks who sends', `write udp/${port}; limit who may send with a share's source allow-list instead`, accessOffset);
  }
  const what = grammar === 'border0' ? 'policy list' : 'access list';
  if (rawAccess.trim() === '') return fail(`the ${what} after the last "/" is empty`, `remove the trailing "/", or name ${grammar === 'border0' ? 'policies' : 'emails or domains'} after it`, accessOffset);
  const items: string[] = [];
  let at = accessOffset;
  for (const raw of rawAccess.split(',')) {
    const item = raw.trim();
    if (item === '') return fail(`empty item in the ${what}`, 'remove the extra comma (containerlab skipped empty items silently)', at);
    if (/\s/.test(item)) return fail(`"${item}" contains white space`, 'separate items with commas', at);
    items.push(item);
    at += raw.length + 1;
  }
  if (grammar === 'border0') return { ok: true, entry: { type: type as PublicationType, port, access: items, accessKind: 'policies' } };
  // Identity-aware tcp is carried over TLS: containerlab upgraded it the same way.
  const upgraded: PublicationType = type === 'tcp' ? 'tls' : (type as PublicationType);
  return { ok: true, entry: { type: upgraded, port, access: items, accessKind: 'emails-domains' } };
}

/** The canonical text of an entry; `parse(format(e))` gives `e` back. */
export function formatPublishEntry(entry: PublishEntry): string {
  const base = `${entry.type}/${entry.port}`;
  return entry.access.length ? `${base}/${entry.access.join(',')}` : base;
}

/** Emails (with `@`) and domains of a mysocketio allow-list, as the service wants them. */
export function splitEmailsAndDomains(access: string[]): { emails: string[]; domains: string[] } {
  return { emails: access.filter((a) => a.includes('@')), domains: access.filter((a) => !a.includes('@')) };
}
