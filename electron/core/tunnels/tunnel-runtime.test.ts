import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { LabNode, Publication, Tunnel } from '../../../shared/model';
import { accepts, echoThrough } from '../../../test-support/net-client';
import { LogStore } from '../logs/log-store';
import { LocalProvider } from '../providers/local-provider';
import { SettingsStore } from '../settings/settings-store';
import { startEchoServer } from '../../../test-support/echo-server';
import { waitFor } from '../../../test-support/wait-for';
import { Emitter } from '../util/emitter';
import { DirectDialer } from '../labs/dialer';
import { TunnelRuntime } from './tunnel-runtime';

const pub: Publication = { id: 'p1', host: 'local', lab: 'lab1', node: 'r1', port: 0, type: 'tcp', provider: 'local', access: [], origin: 'ui', createdAt: 0 };
const node = (state: LabNode['state'], ipv4?: string): LabNode => ({ name: 'r1', containerName: 'clab-lab1-r1', containerId: 'x', kind: 'linux', type: '', image: 'i', state, ipv4, ports: [] });

describe('TunnelRuntime with the local provider', () => {
  let dir: string;
  let provider: LocalProvider;
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  let rt: TunnelRuntime;
  const changes = new Emitter<{ c: void }>();
  const snap = () => rt.snapshot();
  const until = (what: string, pred: (t: Tunnel) => boolean) => waitFor((l) => changes.on('c', l), () => pred(snap()) && snap(), what);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-'));
    provider = new LocalProvider({ settings: new SettingsStore(dir), log: new LogStore().logger('t') });
    await provider.start();
    echo = await startEchoServer();
    rt = new TunnelRuntime({ ...pub, port: echo.port }, { provider, dialer: new DirectDialer(), log: new LogStore().logger('t'), changed: () => changes.emit('c', undefined) });
  });
  afterEach(async () => {
    await rt.stop();
    await provider.dispose();
    await echo.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('goes online and carries bytes both ways byte-exact, counting them', async () => {
    rt.setNode(node('running', '127.0.0.1'));
    rt.start();
    const t = await until('online', (x) => x.state === 'online');
    const payload = randomBytes(512 * 1024);
    const back = await echoThrough(t.endpoint!.host, t.endpoint!.port, payload);
    expect(back.equals(payload)).toBe(true);
    const after = await until('connection closed', (x) => x.counters.total === 1 && x.counters.open === 0 && x.counters.bytesOut === payload.length);
    expect(after.counters.bytesIn).toBe(payload.length);
    expect(after.name).toBe(`clab-r1-tcp-${echo.port}`);
  });

  it('waits for a stopped node, keeps its public port, and resumes on the node\'s new address', async () => {
    rt.setNode(node('running', '127.0.0.1'));
    rt.start();
    const online = await until('online', (x) => x.state === 'online');
    rt.setNode(node('exited'));
    const waiting = await until('waiting', (x) => x.state === 'waiting-for-node');
    expect(waiting.reason).toMatch(/exited/);
    // The listener is kept so the public port stays the same, but nothing is forwarded.
    const back = await echoThrough(online.endpoint!.host, online.endpoint!.port, Buffer.from('x'));
    expect(back.length).toBe(0);
    // The node comes back on another address (another loopback address stands in for it).
    const moved = await startEchoServer('127.0.0.2', echo.port);
    rt.setNode(node('running', '127.0.0.2'));
    const again = await until('online again', (x) => x.state === 'online');
    expect(again.endpoint).toEqual(online.endpoint);
    expect(again.target).toEqual({ host: '127.0.0.2', port: echo.port });
    const echoed = await echoThrough(again.endpoint!.host, again.endpoint!.port, Buffer.from('hello'));
    expect(echoed.toString()).toBe('hello');
    await moved.close();
  });

  it('closes the public port when stopped', async () => {
    rt.setNode(node('running', '127.0.0.1'));
    rt.start();
    const t = await until('online', (x) => x.state === 'online');
    expect(await accepts(t.endpoint!.host, t.endpoint!.port)).toBe(true);
    await rt.stop();
    expect(rt.snapshot().state).toBe('stopped');
    expect(await accepts(t.endpoint!.host, t.endpoint!.port)).toBe(false);
  });

  it('reports a taken public port as failed with a reason', async () => {
    const blocker = await startEchoServer();
    const taken = new TunnelRuntime({ ...pub, id: 'p2', port: echo.port, publicPort: blocker.port }, { provider, dialer: new DirectDialer(), log: new LogStore().logger('t'), changed: () => changes.emit('c', undefined) });
    taken.start();
    const t = await waitFor((l) => changes.on('c', l), () => taken.snapshot().state === 'failed' && taken.snapshot(), 'failed');
    expect(t.reason).toMatch(/already in use/);
    await taken.stop();
    await blocker.close();
  });
});
