import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startUdpEcho, udpClient, type UdpClient, type UdpEcho } from '../../../test-support/udp-echo';
import { waitFor } from '../../../test-support/wait-for';
import { startShareCore, type ShareCore } from './share-test-helpers';

// A UDP port in a share: each new peer passes the shares' gate like a TCP connection (source
// allow-list by the peer's address, the audit), through the real core wiring.
describe('shares: UDP peers pass the same gate', () => {
  let core: ShareCore;
  let echo: UdpEcho;
  let pub: string;
  const clients: UdpClient[] = [];

  beforeEach(async () => {
    core = await startShareCore();
    echo = await startUdpEcho();
    pub = core.publications.add({ host: 'local', lab: 'lab1', node: 'r1', port: echo.port, type: 'udp', provider: 'local', access: [] }).id;
    await core.tunnel(pub, 'udp tunnel online', (t) => t.state === 'online');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await core.dispose();
    await echo.close();
  });

  const from = async (localAddress: string) => {
    const ep = (await core.tunnel(pub, 'online', (t) => t.state === 'online')).endpoint!;
    const c = await udpClient('127.0.0.1', ep.port, { localAddress });
    clients.push(c);
    return c;
  };

  it('admits peers on the allow-list, drops the others before the node sees a datagram, and audits both', async () => {
    const s = core.shares.create({ host: 'local', lab: 'lab1', until: 'never', allow: ['127.0.0.2'], includeCredentials: false, ports: [{ node: 'r1', port: echo.port }] });
    const bad = await from('127.0.0.1');
    for (let i = 0; i < 5; i++) bad.send('must not arrive');
    const good = await from('127.0.0.2');
    good.send('hello');
    expect(String(await good.reply(1))).toBe('hello');
    await core.tunnel(pub, 'drops counted', (t) => t.counters.drops === 5);
    expect(echo.received).toBe(1);
    // One refusal per peer, not per datagram; the admitted peer's record carries its bytes.
    const audit = await waitFor((l) => core.shares.onAuditChanged(l), () => {
      const a = core.shares.audit(s.id);
      return a.records.length === 2 && a;
    }, 'two audit records');
    expect(audit.records.find((r) => r.refused)).toMatchObject({ source: '127.0.0.1', node: 'r1', reason: expect.stringContaining('not on the allow-list') });
    expect(audit.records.find((r) => !r.refused)).toMatchObject({ source: '127.0.0.2', node: 'r1' });
  });

  it('revoking the share closes the UDP port', async () => {
    const s = core.shares.create({ host: 'local', lab: 'lab1', until: 'never', allow: [], includeCredentials: false, ports: [{ node: 'r1', port: echo.port }] });
    const c = await from('127.0.0.1');
    c.send('before');
    await c.reply(1);
    const port = (await core.tunnel(pub, 'online', (t) => t.state === 'online')).endpoint!.port;
    core.shares.revoke(s.id);
    const t = await core.tunnel(pub, 'held closed', (x) => x.state === 'stopped');
    expect(t.reason).toMatch(/was stopped/);
    // The port is free: nothing of the app holds it any more.
    const again = await startUdpEcho('127.0.0.1', port);
    await again.close();
  });
});
