/**
 * What a tunnel counts and logs about the connections it forwards, through the local
 * provider to a real echo server: per-connection log lines and the last minute's throughput.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { echoThrough } from '../../../test-support/net-client';
import type { LocalProvider } from '../providers/local-provider';
import { localRuntimeSetup, RuntimeHarness, runningNode, type LocalRuntimeSetup } from './runtime-test-helpers';

describe('tunnel connection metrics with the local provider', () => {
  let setup: LocalRuntimeSetup;
  let provider: LocalProvider;
  let echo: LocalRuntimeSetup['echo'];
  let h: RuntimeHarness;

  beforeEach(async () => {
    setup = await localRuntimeSetup('metrics-');
    ({ h, provider, echo } = setup);
  });
  afterEach(() => setup.dispose());

  it('logs each forwarded connection when it opens (from where) and when it closes (bytes, duration)', async () => {
    const rt = h.create({ port: echo.port }, provider);
    rt.setNode(runningNode());
    rt.start();
    const t = await h.until(rt, 'online', (x) => x.state === 'online');
    await echoThrough(t.endpoint!.host, t.endpoint!.port, Buffer.alloc(3000, 1));
    const closed = await h.logged('closed line', (e) => /^connection from .* closed/.test(e.message));
    const opened = h.entries().find((e) => /^connection from .* opened/.test(e.message))!;
    expect(opened.message).toMatch(new RegExp(`^connection from 127\\.0\\.0\\.1:\\d+ opened to 127\\.0\\.0\\.1:${echo.port}$`));
    expect(opened.seq).toBeLessThan(closed.seq);
    expect(closed.message).toMatch(/closed after \d+ ms: 2\.9 KiB in, 2\.9 KiB out$/);
    expect(closed.fields).toMatchObject({ bytesIn: 3000, bytesOut: 3000, error: null });
    expect(closed.fields!.from).toBe(opened.fields!.from);
  });

  it('puts the bytes of a transfer into the current 5 s bucket and ages them out over a minute', async () => {
    const clock = { now: 1_700_000_002_000 }; // 2 s into a bucket
    const rt = h.create({ port: echo.port }, provider, { now: () => clock.now });
    rt.setNode(runningNode());
    rt.start();
    const t = await h.until(rt, 'online', (x) => x.state === 'online');
    expect(t.throughput).toEqual({ bucketMs: 5000, in: new Array(12).fill(0), out: new Array(12).fill(0) });

    const payload = randomBytes(200 * 1024);
    await echoThrough(t.endpoint!.host, t.endpoint!.port, payload);
    const done = await h.until(rt, 'transfer counted', (x) => x.counters.bytesOut === payload.length && x.counters.open === 0);
    expect(done.throughput!.in[11]).toBe(payload.length);
    expect(done.throughput!.out[11]).toBe(payload.length);
    expect(done.throughput!.in.slice(0, 11).every((n) => n === 0)).toBe(true);

    clock.now += 3000; // the next bucket starts: the transfer moves one step back
    expect(rt.snapshot().throughput!.in.slice(10)).toEqual([payload.length, 0]);
    clock.now += 50_000;
    expect(rt.snapshot().throughput!.out[0]).toBe(payload.length);
    clock.now += 5000; // more than a minute after the transfer
    expect(rt.snapshot().throughput).toEqual({ bucketMs: 5000, in: new Array(12).fill(0), out: new Array(12).fill(0) });
    expect(rt.snapshot().counters.bytesIn).toBe(payload.length); // the totals stay
  });
});
