import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tunnel } from '../../../shared/model';
import { AppError } from '../../../shared/rpc-errors';
import { echoThrough, accepts } from '../../../test-support/net-client';
import { waitFor } from '../../../test-support/wait-for';
import { startShareCore, type ShareCore } from './share-test-helpers';

const MIN = 60_000;

/** Connects from a chosen loopback source address and keeps the socket open. */
function openFrom(localAddress: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress }, () => resolve(s));
    s.once('error', reject);
  });
}

const closed = (s: net.Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));

describe('shares in the core', () => {
  let core: ShareCore;
  let pubR1: string;
  let pubR2: string;
  const online = (id: string) => core.tunnel(id, `tunnel ${id} online`, (t) => t.state === 'online' && !!t.endpoint);
  const endpointOf = async (id: string) => (await online(id)).endpoint!;

  beforeEach(async () => {
    core = await startShareCore();
    pubR1 = core.publications.add({ host: 'local', lab: 'lab1', node: 'r1', port: core.echo.port, type: 'tcp', provider: 'local', access: [] }).id;
    pubR2 = core.publications.add({ host: 'local', lab: 'lab1', node: 'r2', port: core.echo.port, type: 'tcp', provider: 'local', access: [] }).id;
    await Promise.all([online(pubR1), online(pubR2)]);
  });
  afterEach(async () => core.dispose());

  const create = (extra: Record<string, unknown> = {}) =>
    core.shares.create({ host: 'local', lab: 'lab1', until: 'never', allow: [], includeCredentials: false, ...extra } as Parameters<ShareCore['shares']['create']>[0]);

  it('shares every published port of a lab in one call, with the kinds of its nodes', () => {
    const s = create({ title: 'Demo' });
    expect(s.state).toBe('open');
    expect(s.ports.map((p) => `${p.node}:${p.port}:${p.kind}`).sort()).toEqual([`r1:${core.echo.port}:nokia_srlinux`, `r2:${core.echo.port}:linux`]);
    expect(core.shares.list()).toHaveLength(1);
  });

  it('refuses bad input with the field and a hint, and changes nothing', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ lab: 'nolab' }, 'lab', /no lab "nolab"/],
      [{ ports: [{ node: 'r1', port: 23 }] }, 'ports.0', /r1:23 of lab lab1 is not published/],
      [{ until: core.clock.now() - 1000 }, 'until', /in the past/],
      [{ allow: ['10.0.0.0/8', '10.0.0.0/33'] }, 'allow.1', /"10.0.0.0\/33"/],
      [{ ports: [{ node: 'r1', port: core.echo.port, allow: ['nope'] }] }, 'ports.0.allow.0', /"nope"/],
    ];
    const before = core.settings.get('shares', []);
    for (const [params, field, message] of cases) {
      let err: unknown;
      try {
        create(params);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(params)).toBeInstanceOf(AppError);
      expect((err as AppError).field).toBe(field);
      expect((err as AppError).message).toMatch(message);
      expect((err as AppError).hint).toBeTruthy();
    }
    expect(core.shares.list()).toEqual([]);
    expect(core.settings.get('shares', [])).toEqual(before);
  });

  it('a node port is in one share at a time', () => {
    create({ ports: [{ node: 'r1', port: core.echo.port }] });
    expect(() => create({ ports: [{ node: 'r1', port: core.echo.port }] })).toThrow(/already in share/);
  });

  it('admits only allowed sources, refusing before a byte reaches the node, and audits both', async () => {
    const s = create({ allow: ['127.0.0.2'] });
    const ep = await endpointOf(pubR1);
    // Refused: 127.0.0.1 is not on the list. The connection is closed at once, unanswered,
    // and what the client sent never reaches the node.
    const refused = await openFrom('127.0.0.1', ep.port);
    refused.on('error', () => undefined);
    refused.write('must not arrive');
    await closed(refused);
    expect(core.echo.received).toBe(0);
    // Admitted: the same port from 127.0.0.2 echoes.
    const ok = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const c = net.connect({ host: '127.0.0.1', port: ep.port, localAddress: '127.0.0.2' }, () => c.end('hello'));
      c.on('data', (b) => chunks.push(b));
      c.on('close', () => resolve(Buffer.concat(chunks)));
      c.on('error', reject);
    });
    expect(ok.toString()).toBe('hello');
    expect(core.echo.received).toBe(5);
    const audit = await waitFor((l) => core.shares.onAuditChanged(l), () => {
      const a = core.shares.audit(s.id);
      return a.records.length === 2 && a.records[1].end !== undefined && a;
    }, 'two audit records');
    expect(audit.records[0]).toMatchObject({ source: '127.0.0.1', refused: true, node: 'r1', bytesIn: 0, reason: expect.stringContaining('not on the allow-list') });
    expect(audit.records[1]).toMatchObject({ source: '127.0.0.2', refused: false, bytesIn: 5, bytesOut: 5 });
    expect(audit.records[1].sourcePort).toBeGreaterThan(0);
    expect(audit.sources.map((x) => [x.source, x.connections, x.refused, x.bytesIn]).sort()).toEqual([
      ['127.0.0.1', 0, 1, 0],
      ['127.0.0.2', 1, 0, 5],
    ]);
    const logged = core.logs.query({ limit: 1000, text: 'refused' });
    expect(logged.some((e) => e.message.includes('connection from 127.0.0.1:') && e.message.includes('not on the allow-list'))).toBe(true);
  });

  it('a per-port list replaces the share\'s for that port', async () => {
    create({ allow: ['127.0.0.2'], ports: [{ node: 'r1', port: core.echo.port, allow: ['127.0.0.3'] }, { node: 'r2', port: core.echo.port }] });
    const [e1, e2] = [await endpointOf(pubR1), await endpointOf(pubR2)];
    const from = async (addr: string, port: number) => {
      const s = await openFrom(addr, port);
      s.write('x');
      return new Promise<boolean>((r) => {
        s.once('data', () => (s.destroy(), r(true)));
        s.once('close', () => r(false));
      });
    };
    expect(await from('127.0.0.3', e1.port)).toBe(true);
    expect(await from('127.0.0.2', e1.port)).toBe(false);
    expect(await from('127.0.0.2', e2.port)).toBe(true);
    expect(await from('127.0.0.3', e2.port)).toBe(false);
  });

  it('turns expiring 10 minutes before, then closes every port and cuts open connections at expiry', async () => {
    const s = create({ until: core.clock.now() + 30 * MIN });
    const ep = await endpointOf(pubR1);
    const conn = await openFrom('127.0.0.1', ep.port);
    core.clock.advance(20 * MIN + 1000);
    expect(core.shares.get(s.id).state).toBe('expiring');
    expect(core.logs.query({ limit: 100, text: 'expires in 10 min' })).toHaveLength(1);
    const t0 = Date.now();
    core.clock.advance(10 * MIN);
    await closed(conn);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(core.shares.get(s.id)).toMatchObject({ state: 'expired', expiredAt: s.expiresAt });
    const held = await core.tunnel(pubR1, 'held closed', (t) => t.state === 'stopped');
    expect(held.reason).toMatch(/share "lab1 lab" expired .*extend it/);
    expect(await accepts('127.0.0.1', ep.port)).toBe(false);
    expect(core.logs.query({ limit: 100, text: 'closing its 2 port(s)' })).toHaveLength(1);
    // Extend in one call: the same ports open again.
    core.shares.extend(s.id, '1h');
    await online(pubR1);
    expect(core.shares.get(s.id).state).toBe('open');
  });

  it('revoking closes every port and cuts open connections within a second', async () => {
    const s = create();
    const ep = await endpointOf(pubR2);
    const conn = await openFrom('127.0.0.1', ep.port);
    const t0 = Date.now();
    core.shares.revoke(s.id);
    await closed(conn);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(core.shares.get(s.id).state).toBe('revoked');
    await core.tunnel(pubR2, 'held closed', (t) => t.state === 'stopped' && /was stopped/.test(t.reason ?? ''));
    expect(await accepts('127.0.0.1', ep.port)).toBe(false);
  });

  it('a port published again (a lab redeployed) stays held while its share is ended', async () => {
    const s = create();
    core.shares.revoke(s.id);
    core.publications.removeMany([pubR1], 'lab destroyed');
    const again = core.publications.add({ host: 'local', lab: 'lab1', node: 'r1', port: core.echo.port, type: 'tcp', provider: 'local', access: [] }, 'topology');
    const t = await core.tunnel(again.id, 'the new publication held', (x) => x.state === 'stopped');
    expect(t.reason).toMatch(/was stopped/);
    expect(t.endpoint).toBeUndefined();
  });

  it('a share that expired while the app was down is closed from the start and never opens', async () => {
    const s = create({ until: core.clock.now() + 2 * 60 * MIN });
    const ep = await endpointOf(pubR1);
    core = await core.restart(core.clock.now() + 3 * 60 * MIN);
    const opened: string[] = [];
    const off = core.reconciler.onChanged((ts: Tunnel[]) => ts.forEach((t) => t.endpoint && opened.push(t.id)));
    expect(core.shares.get(s.id)).toMatchObject({ state: 'expired', expiredAt: s.expiresAt });
    const held = await core.tunnel(pubR1, 'held at start', (t) => t.state === 'stopped');
    expect(held.reason).toMatch(/expired/);
    expect(await accepts('127.0.0.1', ep.port)).toBe(false);
    expect(opened).toEqual([]);
    off();
    expect(core.logs.query({ limit: 100, text: 'while the app was not running' })).toHaveLength(1);
  });

  it('keeps the audit across a restart, bounded by the owner\'s size', async () => {
    const s = create({ auditLimit: 100 });
    const ep = await endpointOf(pubR1);
    for (let i = 0; i < 3; i++) await echoThrough('127.0.0.1', ep.port, Buffer.from(`n${i}`));
    await waitFor((l) => core.shares.onAuditChanged(l), () => core.shares.audit(s.id).records.filter((r) => r.end).length === 3, 'three finished records');
    core = await core.restart();
    const a = core.shares.audit(s.id);
    expect(a.records).toHaveLength(3);
    expect(a.records.every((r) => r.end && r.bytesIn === 2 && r.bytesOut === 2)).toBe(true);
    // Lower the bound below what is kept: the oldest go first.
    core.shares.update({ id: s.id, auditLimit: 100 });
    await online(pubR1);
    const ep2 = await endpointOf(pubR1);
    for (let i = 0; i < 101; i++) await echoThrough('127.0.0.1', ep2.port, Buffer.from('x'));
    await waitFor((l) => core.shares.onAuditChanged(l), () => core.shares.audit(s.id).records.at(-1)?.end !== undefined && core.shares.audit(s.id).dropped === 4, 'the oldest dropped');
    expect(core.shares.audit(s.id).records).toHaveLength(100);
    expect(core.shares.audit(s.id).records[0].bytesIn).toBe(1);
  });

  it('narrowing the rules cuts connections from sources no longer allowed', async () => {
    const s = create();
    const ep = await endpointOf(pubR1);
    const keep = await openFrom('127.0.0.2', ep.port);
    const drop = await openFrom('127.0.0.1', ep.port);
    await waitFor((l) => core.shares.onAuditChanged(l), () => core.shares.audit(s.id).records.length === 2, 'two open connections audited');
    core.shares.update({ id: s.id, allow: ['127.0.0.2/32'] });
    await closed(drop);
    expect(keep.destroyed).toBe(false);
    keep.destroy();
  });

  it('stores owner-set passwords in the secret store, never in the settings or the share list', () => {
    const s = create({ includeCredentials: true });
    core.shares.setCredentials({ id: s.id, node: 'r2', user: 'lab', password: 's3cret-pw' });
    expect(JSON.stringify(core.settings.get('shares', []))).not.toContain('s3cret-pw');
    expect(JSON.stringify(core.shares.list())).not.toContain('s3cret-pw');
    const card = core.shares.card(s.id);
    expect(card.ports.find((p) => p.node === 'r2')).toMatchObject({ user: 'lab', password: 's3cret-pw' });
    // r1 is an SR Linux node: the kind's public default.
    expect(card.ports.find((p) => p.node === 'r1')).toMatchObject({ user: 'admin', password: 'NokiaSrl1!' });
    core.shares.update({ id: s.id, includeCredentials: false });
    expect(JSON.stringify(core.shares.card(s.id))).not.toContain('s3cret-pw');
  });
});
