import { describe, expect, it } from 'vitest';
import { AllowList, parsePeer } from './allow-list';

describe('source allow-lists', () => {
  it('matches IPv4 addresses and CIDRs', () => {
    const a = new AllowList(['203.0.113.7', '198.51.100.0/24', '10.0.0.0/8']);
    expect(a.admits('203.0.113.7')).toBe(true);
    expect(a.admits('203.0.113.8')).toBe(false);
    expect(a.admits('198.51.100.255')).toBe(true);
    expect(a.admits('198.51.101.0')).toBe(false);
    expect(a.admits('10.255.1.2')).toBe(true);
    expect(a.admits('11.0.0.1')).toBe(false);
  });

  it('matches IPv6 addresses and CIDRs, and never admits IPv4 by an IPv6-only rule', () => {
    const a = new AllowList(['2001:db8::/48', '::1']);
    expect(a.admits('2001:db8:0:ffff::1')).toBe(true);
    expect(a.admits('2001:db8:1::1')).toBe(false);
    expect(a.admits('::1')).toBe(true);
    expect(a.admits('127.0.0.1')).toBe(false);
  });

  it('treats an IPv4-mapped IPv6 peer as its IPv4 address, and a mapped rule as an IPv4 rule', () => {
    // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d.
    const v4 = new AllowList(['127.0.0.2', '192.0.2.0/24']);
    expect(v4.admits('::ffff:127.0.0.2')).toBe(true);
    expect(v4.admits('::ffff:127.0.0.1')).toBe(false);
    expect(v4.admits('::ffff:192.0.2.77')).toBe(true);
    const mapped = new AllowList(['::ffff:192.0.2.0/120']);
    expect(mapped.admits('192.0.2.9')).toBe(true);
    expect(mapped.admits('192.0.3.9')).toBe(false);
  });

  it('admits everyone with no rule, and refuses what is not an address when there are rules', () => {
    expect(new AllowList([]).admits('198.51.100.1')).toBe(true);
    expect(new AllowList(['0.0.0.0/0']).admits('not-an-ip')).toBe(false);
    expect(new AllowList(['0.0.0.0/0']).admits('::1')).toBe(false);
  });

  it('names the bad rule, its index and a hint', () => {
    let err: unknown;
    try {
      new AllowList(['10.0.0.0/8', '10.0.0.0/33'], 'ports.1.allow');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'invalid_params', field: 'ports.1.allow.1', message: expect.stringContaining('"10.0.0.0/33"') });
    expect(() => new AllowList(['example.com'])).toThrow(/"example.com" is not an IPv4\/IPv6 address/);
  });

  it('reads peers the way each provider reports them', () => {
    expect(parsePeer('127.0.0.2:5555')).toEqual({ address: '127.0.0.2', port: 5555 });
    expect(parsePeer('::ffff:127.0.0.1:40000')).toEqual({ address: '::ffff:127.0.0.1', port: 40000 });
    expect(parsePeer('::1:22')).toEqual({ address: '::1', port: 22 });
    expect(parsePeer('[2001:db8::5]:443')).toEqual({ address: '2001:db8::5', port: 443 });
  });
});
