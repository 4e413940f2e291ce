import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPublishEntry, isExtensionType, parsePublishEntry, splitEmailsAndDomains, type PublishGrammar, type ParseResult } from './publish-grammar';

const GRAMMARS: PublishGrammar[] = ['mysocketio', 'border0'];
const ok = (r: ParseResult) => (r.ok ? r.entry : undefined);
const err = (r: ParseResult) => (r.ok ? undefined : r.error);

describe('mysocketio grammar', () => {
  const p = (t: string) => parsePublishEntry(t, 'mysocketio');
  it('reads <type>/<port> for tcp, tls, http and https', () => {
    expect(ok(p('tcp/22'))).toEqual({ type: 'tcp', port: 22, access: [], accessKind: 'none' });
    expect(ok(p('tls/57400'))).toEqual({ type: 'tls', port: 57400, access: [], accessKind: 'none' });
    expect(ok(p('http/8080'))).toMatchObject({ type: 'http', port: 8080 });
    expect(ok(p(' HTTPS / 443 '))).toMatchObject({ type: 'https', port: 443 });
    expect(ok(p('tcp/1'))).toMatchObject({ port: 1 });
    expect(ok(p('tcp/65535'))).toMatchObject({ port: 65535 });
  });
  it('reads emails and domains, trimmed, and carries identity-aware tcp over tls', () => {
    expect(ok(p('tcp/22/alice@example.com, example.org'))).toEqual({ type: 'tls', port: 22, access: ['alice@example.com', 'example.org'], accessKind: 'emails-domains' });
    expect(ok(p('http/80/example.org'))).toEqual({ type: 'http', port: 80, access: ['example.org'], accessKind: 'emails-domains' });
    expect(splitEmailsAndDomains(['alice@example.com', 'example.org'])).toEqual({ emails: ['alice@example.com'], domains: ['example.org'] });
  });
  it('reports each error with the offset it starts at', () => {
    expect(err(p(''))).toMatchObject({ message: 'empty publish entry', offset: 0, hint: expect.stringContaining('tcp/22') });
    expect(err(p('   '))).toMatchObject({ message: 'empty publish entry', offset: 0 });
    expect(err(p('sctp/53'))).toMatchObject({ message: 'type sctp is not supported', offset: 0, hint: 'use one of tcp, tls, http, https, udp' });
    expect(err(p('/22'))).toMatchObject({ message: 'type (empty) is not supported', offset: 0 });
    expect(err(p('ssh/22'))).toMatchObject({ message: 'type ssh is not supported', hint: expect.stringContaining('border0 grammar') });
    expect(err(p('tcp'))).toMatchObject({ message: 'the port is missing', offset: 3 });
    expect(err(p('tcp/'))).toMatchObject({ message: 'the port is missing', offset: 4 });
    expect(err(p('https/abc'))).toMatchObject({ message: 'port abc is not a number from 1 to 65535', offset: 6 });
    expect(err(p('tcp/0'))).toMatchObject({ message: 'port 0 is not a number from 1 to 65535', offset: 4 });
    expect(err(p('tcp/65536'))).toMatchObject({ offset: 4 });
    expect(err(p('tcp/-1'))).toMatchObject({ offset: 4 });
    expect(err(p('tcp/2.5'))).toMatchObject({ offset: 4 });
    expect(err(p('tcp/22/'))).toMatchObject({ message: 'the access list after the last "/" is empty', offset: 7 });
    expect(err(p('tcp/22/a,,b'))).toMatchObject({ message: 'empty item in the access list', offset: 9 });
    expect(err(p('tcp/22/,a'))).toMatchObject({ message: 'empty item in the access list', offset: 7 });
    expect(err(p('tcp/22/a b'))).toMatchObject({ message: '"a b" contains white space', offset: 7 });
    expect(err(p('tcp/22/a@b.c/d'))).toMatchObject({ message: 'too many parts: "tcp/22/a@b.c/d" has 4, at most 3 are allowed', offset: 12 });
  });
});

describe('border0 grammar', () => {
  const p = (t: string) => parsePublishEntry(t, 'border0');
  it('reads ssh, tls, http and https with policy names', () => {
    expect(ok(p('ssh/22'))).toEqual({ type: 'ssh', port: 22, access: [], accessKind: 'none' });
    expect(ok(p('https/443/admins,ops'))).toEqual({ type: 'https', port: 443, access: ['admins', 'ops'], accessKind: 'policies' });
    // Policies are names: no email/domain split and no tls upgrade.
    expect(ok(p('tls/57400/alice@example.com'))).toEqual({ type: 'tls', port: 57400, access: ['alice@example.com'], accessKind: 'policies' });
  });
  it('reports each error with the offset it starts at', () => {
    expect(err(p(''))).toMatchObject({ offset: 0, hint: expect.stringContaining('ssh/22') });
    expect(err(p('tcp/22'))).toMatchObject({ message: 'type tcp is not supported', offset: 0, hint: expect.stringContaining('mysocketio grammar') });
    expect(err(p('ftp/21'))).toMatchObject({ message: 'type ftp is not supported', hint: 'use one of ssh, tls, http, https, udp' });
    expect(err(p('ssh/x'))).toMatchObject({ offset: 4 });
    expect(err(p('ssh/22/'))).toMatchObject({ message: 'the policy list after the last "/" is empty', offset: 7, hint: expect.stringContaining('policies') });
    expect(err(p('ssh/22/a,'))).toMatchObject({ message: 'empty item in the policy list', offset: 9 });
    expect(err(p('ssh/22/a/b/c'))).toMatchObject({ offset: 8 });
  });
});

describe("udp, this app's extension to both grammars", () => {
  it('reads udp/<port> in either grammar', () => {
    for (const g of GRAMMARS) {
      expect(ok(parsePublishEntry('udp/161', g))).toEqual({ type: 'udp', port: 161, access: [], accessKind: 'none' });
      expect(ok(parsePublishEntry(' UDP / 514 ', g))).toMatchObject({ type: 'udp', port: 514 });
    }
    expect(isExtensionType('udp')).toBe(true);
    expect(isExtensionType('tcp')).toBe(false);
  });
  it('refuses an access list on udp, at the list, rather than publishing it open or dropping it', () => {
    for (const g of GRAMMARS) {
      expect(err(parsePublishEntry('udp/161/alice@example.com', g))).toMatchObject({
        message: expect.stringContaining('udp entries take no access list'),
        offset: 8,
        hint: expect.stringContaining('udp/161'),
      });
    }
  });
});

// Strings made of the grammar's own pieces, so the properties explore near misses too.
const piece = fc.constantFrom('tcp', 'tls', 'http', 'https', 'ssh', 'udp', 'TCP', ' ', '/', ',', '@', '22', '0', '65535', '65536', 'a', 'example.org', 'x@y.z', '', '\t', '-', '.', '\u00a0', '٣');
const nearMiss = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
const structured = fc
  .tuple(fc.constantFrom('tcp', 'tls', 'http', 'https', 'ssh', 'Tcp', ' udp'), fc.oneof(fc.integer({ min: -5, max: 70000 }).map(String), fc.string()), fc.option(fc.array(fc.oneof(fc.domain(), fc.emailAddress(), fc.constant(''), fc.string()), { maxLength: 4 })))
  .map(([t, port, access]) => [t, port, ...(access ? [access.join(',')] : [])].join('/'));
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), nearMiss, structured);
const grammar = fc.constantFrom(...GRAMMARS);

describe('properties', () => {
  it('no string makes the parser throw, and every error offset lies inside the text', () => {
    fc.assert(
      fc.property(anyText, grammar, (text, g) => {
        const r = parsePublishEntry(text, g);
        if (!r.ok) {
          expect(r.error.offset).toBeGreaterThanOrEqual(0);
          expect(r.error.offset).toBeLessThanOrEqual(text.length);
          expect(r.error.hint.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('parse(format(e)) gives e back for every entry that parses', () => {
    fc.assert(
      fc.property(anyText, grammar, (text, g) => {
        const r = parsePublishEntry(text, g);
        if (!r.ok) return;
        expect(parsePublishEntry(formatPublishEntry(r.entry), g)).toEqual({ ok: true, entry: r.entry });
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips generated valid entries of both grammars', () => {
    // Email local parts may hold "/" and ","; the grammar's separators cannot be in an item.
    const item = fc.oneof(fc.domain(), fc.emailAddress()).filter((s) => !/[/,]/.test(s));
    const valid = fc.tuple(grammar, fc.integer({ min: 1, max: 65535 }), fc.array(item, { maxLength: 3 }), fc.nat(4)).map(([g, port, access, i]) => {
      const types = g === 'border0' ? ['ssh', 'tls', 'http', 'https', 'udp'] : ['tcp', 'tls', 'http', 'https', 'udp'];
      const type = types[i];
      return { g, text: [type, port, ...(access.length && type !== 'udp' ? [access.join(',')] : [])].join('/') };
    });
    fc.assert(
      fc.property(valid, ({ g, text }) => {
        const r = parsePublishEntry(text, g);
        expect(r.ok).toBe(true);
        if (r.ok) expect(parsePublishEntry(formatPublishEntry(r.entry), g)).toEqual(r);
      }),
    );
  });
});
