/**
 * Live health of a tunnel through the local provider, against real TCP servers on loopback:
 * upstream probes degrade and recover the tunnel, the end-to-end probe is recorded without
 * being counted, and nothing keeps running after stop().
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { echoThrough } from '../../../test-support/net-client';
import type { LocalProvider } from '../providers/local-provider';
import { startEchoServer } from '../../../test-support/echo-server';
import { localRuntimeSetup, RuntimeHarness, runningNode, type LocalRuntimeSetup } from './runtime-test-helpers';

const FAST = { intervalMs: 40, timeoutMs: 1000, endToEndTimeoutMs: 1000 };

describe('tunnel health with the local provider', () => {
  let setup: LocalRuntimeSetup;
  let provider: LocalProvider;
  let echo: LocalRuntimeSetup['echo'];
  let h: RuntimeHarness;

  beforeEach(async () => {
    setup = await localRuntimeSetup('health-');
    ({ h, provider, echo } = setup);
  });
  afterEach(() => setup.dispose());

  it('is degraded while the node refuses its port, with the reason, and online again once it listens', async () => {
    const rt = h.create({ port: echo.port }, provider, { health: FAST });
    rt.setNode(runningNode());
    rt.start();
    const online = await h.until(rt, 'online with a good probe', (t) => t.state === 'online' && t.health?.upstream?.ok === true);
    expect(online.health!.upstream!.latencyMs).toBeGreaterThanOrEqual(0);

    await echo.close();
    const degraded = await h.until(rt, 'degraded', (t) => t.state === 'degraded');
    expect(degraded.reason).toBe(`node r1 refuses port ${echo.port}`);
    expect(degraded.health!.upstream).toMatchObject({ ok: false, error: degraded.reason });
    await h.logged('degraded line', (e) => e.level === 'warn' && e.message === `tunnel degraded: node r1 refuses port ${echo.port}`);

    echo = await startEchoServer('127.0.0.1', echo.port);
    const back = await h.until(rt, 'online again', (t) => t.state === 'online');
    expect(back.reason).toBeUndefined();
    expect(back.health!.upstream!.ok).toBe(true);
    await h.logged('recovery line', (e) => e.message === 'tunnel online' && e.fields?.previous === 'degraded');
    const echoed = await echoThrough(back.endpoint!.host, back.endpoint!.port, Buffer.from('hi'));
    expect(echoed.toString()).toBe('hi');
  });

  it('probes at once when a forwarded connection finds the port closed, without waiting a round', async () => {
    const rt = h.create({ port: echo.port }, provider, { health: { intervalMs: 60_000 } });
    rt.setNode(runningNode());
    rt.start();
    const online = await h.until(rt, 'first probe', (t) => t.state === 'online' && !!t.health?.upstream);
    await echo.close();
    await echoThrough(online.endpoint!.host, online.endpoint!.port, Buffer.from('x'));
    const degraded = await h.until(rt, 'degraded', (t) => t.state === 'degraded');
    expect(degraded.reason).toBe(`node r1 refuses port ${echo.port}`);
    expect(degraded.lastError).toMatch(/ECONNREFUSED/);
  });

  it('records the end-to-end probe without counting it as a connection', async () => {
    const rt = h.create({ port: echo.port }, provider, { health: FAST });
    rt.setNode(runningNode());
    rt.start();
    const t = await h.until(rt, 'end-to-end result', (x) => !!x.health?.endToEnd);
    expect(t.health!.endToEnd).toMatchObject({ ok: true });
    expect(t.health!.endToEnd!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(t.health!.endToEnd!.checkedAt).toBeGreaterThan(Date.now() - 10_000);
    expect(t.health!.rttMs).toBeUndefined(); // no SSH link with the local provider
    // Several probes come back through the listener; none is a user's connection.
    let arrivals = 0;
    await h.logged('three probes back', (e) => /came back through the tunnel/.test(e.message) && ++arrivals >= 3);
    const after = rt.snapshot();
    expect(after.counters).toEqual({ open: 0, total: 0, bytesIn: 0, bytesOut: 0 });
    expect(h.entries().filter((e) => /^connection from/.test(e.message))).toEqual([]);
  });

  it('runs no probe while the node is away, and leaves no timer or socket after stop()', async () => {
    const resources = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap').sort();
    const timers = () => resources().filter((r) => r === 'Timeout').length;
    h.logs.flush();
    const before = resources();
    const rt = h.create({ port: echo.port }, provider, { health: { ...FAST, intervalMs: 60_000 } });
    rt.setNode({ ...runningNode(), state: 'exited', ipv4: undefined });
    rt.start();
    const waiting = await h.until(rt, 'waiting', (t) => t.state === 'waiting-for-node');
    expect(waiting.health).toBeUndefined();
    h.logs.flush();
    expect(timers()).toBe(before.filter((r) => r === 'Timeout').length); // no probe timer while the node is away

    rt.setNode(runningNode());
    await h.until(rt, 'probed', (t) => t.state === 'online' && !!t.health?.upstream && !!t.health.endToEnd);
    h.logs.flush();
    expect(timers()).toBe(before.filter((r) => r === 'Timeout').length + 1); // the next round is scheduled
    await rt.stop();
    await echo.close(); // the node's side of the probe connections is the test's, not the tunnel's
    h.logs.flush(); // the log store's batching timer is not the tunnel's
    expect(resources()).toEqual(before);
  });
});
