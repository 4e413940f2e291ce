/**
 * The audience layer on a real core: a share published through the real local provider, its
 * page reached only through the share's own forward, attendees with real links, the page's
 * WebSocket from a real client, and the stand-in terminal service (FakeTerminals).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../../shared/contract';
import type { ServerMessage } from '../../../shared/audience-protocol';
import { AudienceClient, fetchPage } from '../../../test-support/audience-client';
import { parseToken } from './attendee-token';
import { startAudienceCore, type AudienceCore } from './audience-test-helpers';

let t: AudienceCore;
beforeEach(async () => {
  t = await startAudienceCore();
});
afterEach(async () => {
  await t?.dispose();
});

const is =
  <K extends ServerMessage['t']>(k: K) =>
  (m: ServerMessage): m is Extract<ServerMessage, { t: K }> =>
    m.t === k;

async function attendee(name = 'Ada') {
  const issued = await t.audience.addAttendee({ id: t.share.id, name, anyone: false });
  expect(issued.link, 'the page is online, so the link is whole').toBeDefined();
  return issued as typeof issued & { link: string };
}

async function openTerminal(c: AudienceClient, node = 'r2', ref = 1) {
  c.send({ t: 'open', ref, node, cols: 100, rows: 30 });
  const m = await c.next((x) => (x.t === 'opened' || x.t === 'error') && x.ref === ref, `terminal ${ref} on ${node}`);
  if (m.t !== 'opened') throw new Error(`terminal refused: ${JSON.stringify(m)}`);
  return m.sid;
}

describe('the audience page', () => {
  it('opens at the personal link, through the share\'s own forward; the commands are in the HTML; the secret is kept nowhere', async () => {
    const { link, path: p } = await attendee();
    const share = t.core.shares.get(t.share.id);
    expect(share.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(link).toBe(`${share.link}${p}`);
    // The page's address is not the loopback listener's: it is the share's forward.
    expect(Number(new URL(link).port)).not.toBe(t.audience.listenerPort);
    const page = await fetchPage(link);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self'/);
    expect(page.headers['content-security-policy']).not.toContain('unsafe');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<title>Routing class</title>');
    const ep = share.ports[0].lastEndpoint!;
    expect(page.body).toContain(`ssh -p ${ep.port} root@127.0.0.1`);
    expect(page.body).toContain('for Ada');
    expect(page.body).toContain('<script type="module" src="/assets/app-1.js">');
    // The QR code on the page is of the link itself.
    expect(page.body).toContain(`data-text="${link}"`);
    const asset = await fetchPage(`${share.link}/assets/app-1.js`);
    expect(asset).toMatchObject({ status: 200, body: 'console.log("page script")\n' });
    // Nothing keeps the secret: not the settings, not the log, not the audit, not the owner's view.
    const secret = parseToken(p.slice(3))!.secret;
    expect(fs.readFileSync(path.join(t.core.dir, 'settings.json'), 'utf8')).not.toContain(secret);
    expect(JSON.stringify(t.core.logs.query({ limit: 10_000 }))).not.toContain(secret);
    expect(JSON.stringify(t.core.shares.audit(t.share.id))).not.toContain(secret);
    expect(JSON.stringify(t.audience.list())).not.toContain(secret);
  });

  it('a forged or missing secret gets a plain "not valid" page; too many from one address get 429 with Retry-After', async () => {
    const { link } = await attendee();
    const base = t.core.shares.get(t.share.id).link!;
    const forged = link.slice(0, -4) + 'AAAA';
    const bad = await fetchPage(forged);
    expect(bad.status).toBe(404);
    expect(bad.body).toContain('This link is not valid');
    expect(bad.body).not.toContain('Routing class');
    expect((await fetchPage(`${base}/p/`)).status).toBe(404);
    expect((await fetchPage(`${base}/`)).body).toContain('Open the personal link you were given');
    for (let i = 0; i < 9; i++) await fetchPage(forged);
    const limited = await fetchPage(forged);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right link waits: the address is what is limited, not the link.
    expect((await fetchPage(link)).status).toBe(429);
    // From another address the right link opens.
    expect((await fetchPage(link, { localAddress: '127.0.0.2' })).status).toBe(200);
    const audit = t.core.shares.audit(t.share.id);
    expect(audit.records.filter((r) => r.kind === 'page' && r.refused)).toHaveLength(10);
  });

  it('the WebSocket takes the page\'s own origin only, sends the state first, and knows no owner method', async () => {
    const { link } = await attendee();
    await expect(AudienceClient.connect(link, { origin: 'http://evil.example' })).rejects.toMatchObject({ status: 403 });
    await expect(AudienceClient.connect(link, { origin: null })).rejects.toMatchObject({ status: 403 });
    await expect(AudienceClient.connect(link.slice(0, -4) + 'AAAA')).rejects.toMatchObject({ status: 404 });
    const c = await AudienceClient.connect(link);
    const first = await c.next(is('page'), 'the page state');
    expect(first.page).toMatchObject({ title: 'Routing class', attendee: 'Ada', state: 'open' });
    expect(first.page.nodes.map((n) => [n.name, n.state])).toEqual([['r2', 'online']]);
    // Every method of the owner's contract, as JSON-RPC and as this protocol's message: nothing answers but an error.
    const answers = () => c.messages.filter((m) => m.t !== 'page');
    for (const method of METHOD_NAMES) {
      const from = answers().length;
      c.send({ jsonrpc: '2.0', id: 1, method, params: {} });
      c.send({ t: method });
      c.send({ t: 'ping' });
      await c.next((m) => m.t === 'pong' && answers().length >= from + 3, `the answers to ${method}`);
      expect(answers().slice(from)).toEqual([
        { t: 'error', message: 'not a message this page understands' },
        { t: 'error', message: 'not a message this page understands' },
        { t: 'pong' },
      ]);
      const http = await fetchPage(`${new URL(link).origin}/${method}`);
      expect(http.status, method).toBe(404);
      expect((await fetchPage(`${new URL(link).origin}/api?method=${method}`)).status).toBe(404);
    }
    expect((await fetchPage(`${new URL(link).origin}/api`, { method: 'POST' })).status).toBe(405);
    c.close();
  });

  it('opens a terminal with the owner\'s login for the node (never sent to the page); keystrokes reach it; reattaching after a drop replays the screen', async () => {
    t.core.shares.setCredentials({ id: t.share.id, node: 'r2', user: 'student', password: 'owner-only-pw' });
    t.audience.setSettings({ id: t.share.id, terminals: [{ node: 'r2', via: 'ssh' }], maxSessions: 2, idleTimeoutMin: 15, record: true });
    const { link, attendee: a } = await attendee();
    const c = await AudienceClient.connect(link);
    const page = await c.next((m): m is Extract<ServerMessage, { t: 'page' }> => m.t === 'page' && m.page.nodes[0]?.terminal === 'ssh', 'the terminal offered');
    expect(page.page.limits).toEqual({ maxSessions: 2, idleTimeoutMin: 15 });
    const sid = await openTerminal(c);
    const req = t.terminals.requests.at(-1)!;
    expect(req).toMatchObject({
      target: { via: 'ssh', host: 'local', lab: 'lab1', node: 'r2', port: t.core.echo.port, username: 'student', password: 'owner-only-pw' },
      shareId: t.share.id,
      attendeeId: a.id,
      attendeeName: 'Ada',
      record: true,
      maxPerAttendee: 2,
      idleTimeoutMs: 15 * 60_000,
    });
    c.send({ t: 'in', sid, d: 'uname -a\r' });
    await c.waitOutput(sid, 'r2$ uname -a');
    c.send({ t: 'resize', sid, cols: 120, rows: 40 });
    // Messages are handled in order: once the ping is answered the resize was applied.
    const from = c.messages.length;
    c.send({ t: 'ping' });
    await c.next((m) => m.t === 'pong', 'the pong after the resize', 5000, from);
    expect(t.terminals.sessions.get(sid)!.size).toEqual({ cols: 120, rows: 40 });
    // The connection drops (a network blip); the node keeps printing; the page comes back.
    c.ws.terminate();
    t.terminals.sessions.get(sid)!.print('printed meanwhile');
    const again = await AudienceClient.connect(link);
    again.send({ t: 'attach', ref: 7, sid, cols: 100, rows: 30 });
    await again.next((m) => m.t === 'opened' && m.reattached && m.sid === sid, 'the reattach');
    expect(await again.waitOutput(sid, 'printed meanwhile')).toContain('r2$ uname -a');
    // The page never saw the password.
    expect(JSON.stringify([...c.messages, ...again.messages])).not.toContain('owner-only-pw');
    // The limit is the service's to enforce; its refusal reaches the page.
    await openTerminal(again, 'r2', 8);
    again.send({ t: 'open', ref: 9, node: 'r2', cols: 80, rows: 24 });
    expect(await again.next((m) => m.t === 'error' && m.ref === 9, 'the third terminal refused')).toMatchObject({ message: 'at most 2 terminal session(s) at once' });
    // A node the owner did not open is refused by the audience layer itself.
    again.send({ t: 'open', ref: 10, node: 'r1', cols: 80, rows: 24 });
    expect(await again.next((m) => m.t === 'error' && m.ref === 10, 'r1 refused')).toMatchObject({ message: 'the organiser has not opened a terminal to r1' });
    expect(t.terminals.requests.map((r) => r.target.node)).not.toContain('r1');
    // The audit says who did what.
    const rec = t.core.shares.audit(t.share.id).records.find((r) => r.kind === 'terminal' && !r.refused);
    expect(rec).toMatchObject({ attendee: 'Ada', attendeeId: a.id, node: 'r2', port: t.core.echo.port, source: '127.0.0.1' });
    again.close();
  });

  it('the "anyone with the link" entry is a whole room: its terminal limit counts per page, not for everyone together', async () => {
    t.audience.setSettings({ id: t.share.id, terminals: [{ node: 'r2', via: 'engine' }], maxSessions: 1 });
    const room = await t.audience.addAttendee({ id: t.share.id, anyone: true });
    expect(room.attendee).toMatchObject({ name: 'Anyone with the link', kind: 'anyone' });
    const one = await AudienceClient.connect(room.link!);
    const two = await AudienceClient.connect(room.link!);
    await openTerminal(one, 'r2', 1);
    one.send({ t: 'open', ref: 2, node: 'r2', cols: 80, rows: 24 });
    expect(await one.next((m) => m.t === 'error' && m.ref === 2, 'a second terminal on the same page refused')).toMatchObject({ message: 'at most 1 terminal(s) at once: close one first' });
    // The next person in the room still gets theirs; the service is not asked to cap the entry.
    await openTerminal(two, 'r2', 1);
    expect(t.terminals.requests.every((r) => r.maxPerAttendee === undefined)).toBe(true);
    one.close();
    two.close();
  });

  it('one person\'s link opens at most 10 pages at once; the 11th is told why', async () => {
    const { link } = await attendee();
    const pages = await Promise.all(Array.from({ length: 10 }, () => AudienceClient.connect(link)));
    await Promise.all(pages.map((c) => c.next((m) => m.t === 'page', 'the state')));
    const extra = await AudienceClient.connect(link);
    expect(await extra.closed).toMatchObject({ code: 4013, reason: 'already 10 pages open with this link: close one' });
    pages.forEach((c) => c.close());
  });

  it('watch mode: a spectator gets the owner\'s output and can neither type nor resize it', async () => {
    t.audience.setSettings({ id: t.share.id, terminals: [{ node: 'r2', via: 'engine' }] });
    const owner = await t.terminals.ownerSession('r1');
    t.terminals.setBroadcast(owner.id, t.share.id);
    const { link } = await attendee('Bob');
    const c = await AudienceClient.connect(link);
    await c.next((m) => m.t === 'page' && m.page.watch?.node === 'r1', 'the live demo offered');
    (owner as unknown as { print(s: string): void }).print('before you came\r\n');
    c.send({ t: 'watch', on: true });
    const start = await c.next(is('watch-start'), 'the demo');
    expect(start).toMatchObject({ t: 'watch-start', node: 'r1', backlog: 'before you came\r\n' });
    (owner as unknown as { print(s: string): void }).print('show running-config');
    await c.next((m) => m.t === 'watch-data' && m.d === 'show running-config', 'live output');
    expect(owner.info().spectators).toBe(1);
    c.send({ t: 'in', sid: owner.id, d: 'reboot\r' });
    c.send({ t: 'resize', sid: owner.id, cols: 10, rows: 2 });
    c.send({ t: 'close', sid: owner.id });
    await c.next((m) => m.t === 'exit' && m.sid === owner.id, 'the write refused as unknown');
    expect((owner as unknown as { writes: string[] }).writes).toEqual([]);
    expect((owner as unknown as { size: object }).size).toEqual({ cols: 80, rows: 24 });
    t.terminals.setBroadcast(owner.id, undefined);
    await c.next((m) => m.t === 'watch-end', 'the demo stopped');
    expect(owner.info().spectators).toBe(0);
    c.close();
  });

  it('revoking one attendee ends their page and terminals within a second; the others keep theirs', async () => {
    t.audience.setSettings({ id: t.share.id, terminals: [{ node: 'r2', via: 'engine' }] });
    const ada = await attendee('Ada');
    const bob = await attendee('Bob');
    const ca = await AudienceClient.connect(ada.link);
    const cb = await AudienceClient.connect(bob.link);
    const sa = await openTerminal(ca);
    const sb = await openTerminal(cb);
    const at = Date.now();
    t.audience.revokeAttendee({ id: t.share.id, attendeeId: ada.attendee.id });
    const closed = await ca.closed;
    expect(closed.at - at).toBeLessThan(1000);
    expect(closed.code).toBe(4001);
    expect(ca.messages.some((m) => m.t === 'ended')).toBe(true);
    expect(t.terminals.sessions.has(sa)).toBe(false);
    expect(t.terminals.sessions.has(sb)).toBe(true);
    // Their link now shows the plain "ended" page; Bob's still opens.
    const page = await fetchPage(ada.link);
    expect(page.status).toBe(410);
    expect(page.body).toContain('This share has ended');
    expect(page.body).toContain('revoked');
    expect((await fetchPage(bob.link)).status).toBe(200);
    expect(t.audience.audience(t.share.id).attendees.map((a) => [a.name, a.state])).toEqual([
      ['Ada', 'revoked'],
      ['Bob', 'active'],
    ]);
    cb.close();
  });

  it('expiry ends every page and terminal; afterwards every link gets the "ended" page', async () => {
    t.audience.setSettings({ id: t.share.id, terminals: [{ node: 'r2', via: 'engine' }] });
    const ada = await attendee('Ada');
    const c = await AudienceClient.connect(ada.link);
    const sid = await openTerminal(c);
    t.core.clock.advance(3600_000);
    expect((await c.closed).code).toBe(4001);
    expect(t.terminals.sessions.has(sid)).toBe(false);
    const page = await fetchPage(ada.link);
    expect(page.status).toBe(410);
    expect(page.body).toContain('This share expired');
    // Extending reopens the share, and with it the link.
    t.core.shares.extend(t.share.id, '1h');
    expect((await fetchPage(ada.link)).status).toBe(200);
  });

  it('the share\'s allow-list applies to its page, before a byte reaches it', async () => {
    const ada = await attendee('Ada');
    t.core.shares.update({ id: t.share.id, allow: ['127.0.0.2'] });
    await expect(fetchPage(ada.link, { localAddress: '127.0.0.1' })).rejects.toThrow();
    expect((await fetchPage(ada.link, { localAddress: '127.0.0.2' })).status).toBe(200);
  });

  it('removing the share closes its page and forgets its attendees', async () => {
    const ada = await attendee('Ada');
    const c = await AudienceClient.connect(ada.link);
    await t.core.shares.remove(t.share.id, false);
    expect((await c.closed).code).toBe(4001);
    await expect(fetchPage(ada.link)).rejects.toThrow();
    expect(JSON.parse(fs.readFileSync(path.join(t.core.dir, 'settings.json'), 'utf8')).audience).toEqual({});
  });
});
