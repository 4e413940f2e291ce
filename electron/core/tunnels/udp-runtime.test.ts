import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startUdpEcho, udpClient, type UdpClient, type UdpEcho } from '../../../test-support/udp-echo';
import type { GateDecision } from './connection-gate';
import { localRuntimeSetup, runningNode, type LocalRuntimeSetup } from './runtime-test-helpers';

// UDP publications through the local provider, against a real UDP echo standing in for the node.
describe('TunnelRuntime: a udp publication through the local provider', () => {
  let s: LocalRuntimeSetup;
  let echo: UdpEcho;
  const clients: UdpClient[] = [];
  const client = async (port: number) => {
    const c = await udpClient('127.0.0.1', port);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    s = await localRuntimeSetup('udp-rt-');
    echo = await startUdpEcho();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await s.dispose();
    await echo.close();
  });

  const online = async (extra: Parameters<LocalRuntimeSetup['h']['create']>[2] = {}, port = echo.port) => {
    const rt = s.h.create({ type: 'udp', port }, s.provider, extra);
    rt.setNode(runningNode());
    rt.start();
    const t = await s.h.until(rt, 'online', (x) => x.state === 'online');
    return { rt, t, port: t.endpoint!.port };
  };

  it('carries datagrams byte-exact both ways, one datagram per datagram, and counts them', async () => {
    const { rt, t, port } = await online();
    expect(t.name).toBe(`clab-r1-udp-${echo.port}`);
    const c = await client(port);
    const sizes = [1, 1400, 9000, 65_000];
    const sent = sizes.map((n) => randomBytes(n));
    for (const [i, d] of sent.entries()) {
      c.send(d);
      expect((await c.reply(i + 1)).equals(d)).toBe(true);
    }
    const bytes = sizes.reduce((a, b) => a + b, 0);
    const after = await s.h.until(rt, 'counted', (x) => x.counters.datagramsOut === sizes.length);
    expect(after.counters).toMatchObject({ open: 1, total: 1, datagramsIn: 4, datagramsOut: 4, bytesIn: bytes, bytesOut: bytes, drops: 0 });
    expect(after.counters.lastDatagramAt).toBeGreaterThan(0);
    expect(after.throughput!.in.reduce((a, b) => a + b, 0)).toBe(bytes);
    // One peer: one upstream socket, so the node saw one source.
    expect(echo.peers).toHaveLength(1);
    await s.h.logged('peer opened', (e) => e.message === `peer ${c.local}: forwarding datagrams to 127.0.0.1:${echo.port}`);
  });

  it('gives each peer its own upstream socket: replies to two peers at once reach the right one', async () => {
    const { port } = await online();
    const a = await client(port);
    const b = await client(port);
    for (let i = 0; i < 20; i++) {
      a.send(`a-${i}`);
      b.send(`b-${i}`);
    }
    await Promise.all([a.reply(20), b.reply(20)]);
    expect(a.replies.map(String)).toEqual(Array.from({ length: 20 }, (_, i) => `a-${i}`));
    expect(b.replies.map(String)).toEqual(Array.from({ length: 20 }, (_, i) => `b-${i}`));
    expect(echo.peers).toHaveLength(2);
  });

  it('closes a peer\'s upstream socket after the idle timeout; its next datagram opens a new one', async () => {
    await s.provider.configure({ bindAddress: '127.0.0.1', udpIdleSeconds: 0.3 });
    const { rt, port } = await online();
    const c = await client(port);
    c.send('one');
    await c.reply(1);
    const idle = await s.h.logged('peer idle', (e) => e.message.startsWith(`peer ${c.local} went quiet (idle 0.3 s)`));
    expect(idle.fields).toMatchObject({ datagramsIn: 1, datagramsOut: 1, bytesIn: 3, bytesOut: 3 });
    expect(rt.snapshot().counters).toMatchObject({ open: 0, total: 1 });
    c.send('two');
    expect(String(await c.reply(2))).toBe('two');
    expect(echo.peers).toHaveLength(2); // a new upstream socket, a new source port
    expect(rt.snapshot().counters).toMatchObject({ open: 1, total: 2 });
  });

  it('asks the gate once per new peer: a refused peer reaches nothing, and is counted as drops', async () => {
    const asked: string[] = [];
    const admit = (_p: unknown, from: string): GateDecision => {
      asked.push(from);
      return from.endsWith(`:${refusedPort}`) ? { allowed: false, reason: 'not on the allow-list' } : { allowed: true };
    };
    let refusedPort = -1;
    const { rt, port } = await online({ admit });
    const bad = await client(port);
    refusedPort = Number(bad.local.split(':')[1]);
    const good = await client(port);
    for (let i = 0; i < 3; i++) bad.send('x');
    good.send('ok');
    await good.reply(1);
    await s.h.until(rt, 'drops', (x) => x.counters.drops === 3);
    expect(echo.received).toBe(1);
    expect(asked).toEqual([bad.local, good.local]);
    await s.h.logged('refused', (e) => e.message === `datagrams from ${bad.local} refused: not on the allow-list`);
  });

  it('bounds the peer table: a new peer beyond it is dropped and counted, the others go on', async () => {
    const { rt, port } = await online();
    const peers = await Promise.all(Array.from({ length: 3 }, () => client(port)));
    // The limit is per tunnel (MAX_PEERS); a small one here makes the boundary visible.
    (rt as unknown as { flows: { maxPeers: number } }).flows.maxPeers = 2;
    peers[0].send('0');
    await peers[0].reply(1);
    peers[1].send('1');
    await peers[1].reply(1);
    peers[2].send('2');
    await s.h.until(rt, 'drop', (x) => x.counters.drops === 1);
    await s.h.logged('full', (e) => e.message.startsWith('the peer table is full (2 peers active)'));
    peers[0].send('again');
    expect(String(await peers[0].reply(2))).toBe('again');
    expect(echo.received).toBe(3);
  });

  it('drops datagrams while the node is stopped, and follows the node to its new address', async () => {
    const { rt, port } = await online();
    const c = await client(port);
    rt.setNode({ ...runningNode(), state: 'exited', ipv4: undefined });
    await s.h.until(rt, 'waiting', (x) => x.state === 'waiting-for-node');
    c.send('lost');
    await s.h.until(rt, 'dropped', (x) => x.counters.drops === 1);
    const moved = await startUdpEcho('127.0.0.2', echo.port);
    try {
      rt.setNode(runningNode('127.0.0.2'));
      await s.h.until(rt, 'online again', (x) => x.state === 'online' && x.target?.host === '127.0.0.2');
      c.send('moved');
      expect(String(await c.reply(1))).toBe('moved');
      expect(moved.received).toBe(1);
      expect(echo.received).toBe(0);
    } finally {
      await moved.close();
    }
  });

  it('probes the node with an empty datagram: an answer is timed, silence passes and says why', async () => {
    const { rt } = await online({ health: { intervalMs: 60_000, timeoutMs: 300 } });
    const answered = await s.h.until(rt, 'probed', (x) => x.health?.upstream !== undefined);
    expect(answered.health!.upstream).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    expect(echo.probes).toBe(1);
    const silent = await startUdpEcho('127.0.0.1', 0, { silent: true });
    try {
      const quiet = s.h.create({ id: 'p2', type: 'udp', port: silent.port }, s.provider, { health: { intervalMs: 60_000, timeoutMs: 300 } });
      quiet.setNode(runningNode());
      quiet.start();
      const t = await s.h.until(quiet, 'probed', (x) => x.health?.upstream !== undefined);
      expect(t.state).toBe('online');
      expect(t.health!.upstream).toEqual({ ok: true, detail: 'no port-unreachable came back: listening, as far as UDP tells', checkedAt: expect.any(Number) });
      // Nothing to ask it through the tunnel: no end-to-end result, the counters tell.
      expect(t.health!.endToEnd).toBeUndefined();
    } finally {
      await silent.close();
    }
  });

  it('asks a service that answers (echo on 7) end to end through the tunnel, without counting the probe', async () => {
    // Port 7 on an address of its own, so no other test's echo is in the way.
    const seven = await startUdpEcho('127.0.0.3', 7);
    try {
      const rt = s.h.create({ id: 'p7', type: 'udp', port: 7 }, s.provider, { health: { intervalMs: 60_000, timeoutMs: 1000, endToEndTimeoutMs: 1000 } });
      rt.setNode(runningNode('127.0.0.3'));
      rt.start();
      const t = await s.h.until(rt, 'end-to-end probed', (x) => x.health?.endToEnd !== undefined);
      expect(t.health!.upstream).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
      expect(t.health!.endToEnd).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
      // Node probe and end-to-end probe both reached the echo; neither is a user's datagram.
      expect(seven.received).toBe(2);
      expect(t.counters).toMatchObject({ open: 0, total: 0, datagramsIn: 0, datagramsOut: 0 });
      await s.h.logged('e2e', (e) => e.message.startsWith(`end-to-end: an echo request sent to 127.0.0.1:${t.endpoint!.port} came back through the tunnel`));
    } finally {
      await seven.close();
    }
  });

  it('shows degraded when the node stops listening (port unreachable), and online again when it listens', async () => {
    const { rt, port } = await online({ health: { intervalMs: 200, timeoutMs: 500 } });
    await s.h.until(rt, 'probed', (x) => x.health?.upstream?.ok === true);
    await echo.close();
    const c = await client(port);
    c.send('to nobody');
    const down = await s.h.until(rt, 'degraded', (x) => x.state === 'degraded');
    expect(down.reason).toBe(`node r1 does not listen on UDP port ${echo.port} (port unreachable)`);
    echo = await startUdpEcho('127.0.0.1', echo.port);
    await s.h.until(rt, 'online again', (x) => x.state === 'online');
  });

  it('closes the public port and every peer socket when stopped', async () => {
    const { rt, port } = await online();
    const c = await client(port);
    c.send('hi');
    await c.reply(1);
    await rt.stop();
    await s.h.logged('peer closed', (e) => e.message.startsWith(`peer ${c.local} closed: unpublished`));
    // The port is free again: it can be bound.
    const again = await startUdpEcho('127.0.0.1', port);
    await again.close();
  });
});
