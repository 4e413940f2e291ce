import { describe, expect, it } from 'vitest';
import { methods } from '../../../shared/contract';
import { createDispatcher, describeMethods, type Handlers } from '../rpc/dispatch';
import { LogStore } from '../logs/log-store';

/** The contract's schemas for shares, as every transport applies them before any handler runs. */
describe('shares.* parameters', () => {
  const logs = new LogStore();
  let called = 0;
  const dispatch = createDispatcher(new Proxy({}, { get: () => () => (called++, {}) }) as Handlers, logs.logger('rpc'));

  it('refuses an invalid CIDR with its place and the value, before the core sees it', async () => {
    const r = await dispatch('shares.create', { lab: 'srl01', allow: ['10.0.0.0/8', '10.0.0.0/33'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_params', field: 'allow.1' } });
    expect(!r.ok && r.error.message).toContain('"10.0.0.0/33" is not an IPv4/IPv6 address or CIDR');
    const zone = await dispatch('shares.update', { id: 'x', allow: ['fe80::1%eth0'] });
    expect(zone).toMatchObject({ ok: false, error: { field: 'allow.0' } });
    expect(called).toBe(0);
  });

  it('takes IPv4, IPv6, CIDRs of both and IPv4-mapped IPv6', () => {
    const p = methods['shares.create'].params.safeParse({ lab: 'srl01', allow: ['203.0.113.7', '198.51.100.0/24', '2001:db8::/48', '::1', '::ffff:127.0.0.2', '::ffff:192.0.2.0/120'] });
    expect(p.success).toBe(true);
  });

  it('knows presets, "never" and times; a title without control characters', () => {
    expect(methods['shares.extend'].params.safeParse({ id: 'x', until: 'endOfDay' }).success).toBe(true);
    expect(methods['shares.extend'].params.safeParse({ id: 'x', until: Date.now() + 1000 }).success).toBe(true);
    expect(methods['shares.extend'].params.safeParse({ id: 'x', until: 'tomorrow' }).success).toBe(false);
    expect(methods['shares.create'].params.safeParse({ lab: 'l', title: 'a\nb' }).success).toBe(false);
  });

  it('rpc.discover lists every shares.* method', () => {
    const names = describeMethods().map((m) => m.name);
    expect(names.filter((n) => n.startsWith('shares.')).sort()).toEqual(
      [
        'shares.addAttendee',
        'shares.audience',
        'shares.audit',
        'shares.card',
        'shares.create',
        'shares.extend',
        'shares.list',
        'shares.reissueAttendee',
        'shares.remove',
        'shares.removeAttendee',
        'shares.revoke',
        'shares.revokeAttendee',
        'shares.setAudience',
        'shares.setCredentials',
        'shares.update',
      ],
    );
  });

  it('attendees: a name without control characters, ids as the core makes them, terminals by ssh or engine', () => {
    expect(methods['shares.addAttendee'].params.safeParse({ id: 'x', name: 'Ada Lovelace' }).success).toBe(true);
    expect(methods['shares.addAttendee'].params.safeParse({ id: 'x', name: 'Ada\nLovelace' }).success).toBe(false);
    expect(methods['shares.addAttendee'].params.safeParse({ id: 'x', name: 'x'.repeat(101) }).success).toBe(false);
    expect(methods['shares.revokeAttendee'].params.safeParse({ id: 'x', attendeeId: '0123456789abcdef' }).success).toBe(true);
    expect(methods['shares.revokeAttendee'].params.safeParse({ id: 'x', attendeeId: '../../etc' }).success).toBe(false);
    expect(methods['shares.setAudience'].params.safeParse({ id: 'x', terminals: [{ node: 'r1', via: 'telnet' }] }).success).toBe(false);
    expect(methods['shares.setAudience'].params.safeParse({ id: 'x', maxSessions: 0 }).success).toBe(false);
    // No method takes or lists a secret: the only one that returns it is the call that makes it.
    expect(Object.keys(methods).filter((m) => m.startsWith('shares.') && /secret|token|link/i.test(m))).toEqual([]);
  });
});
