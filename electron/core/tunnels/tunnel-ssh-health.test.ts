/**
 * Tunnel health through the SSH relay provider against a real OpenSSH sshd on 127.0.0.1
 * (test-support/sshd.ts): the keepalive round trip reaches Tunnel.health, and the
 * end-to-end probe is recorded (never degrading the tunnel) whether or not it can work.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestSshd } from '../../../test-support/sshd';
import { HostKeyStore } from '../ssh/host-key-store';
import { SshProvider } from '../providers/ssh/ssh-provider';
import { relaySshdForFile } from '../providers/ssh/ssh-test-helpers';
import { SettingsStore } from '../settings/settings-store';
import { startEchoServer } from '../../../test-support/echo-server';
import { RuntimeHarness, runningNode } from './runtime-test-helpers';

let sshd: TestSshd;
let dir: string;
let settings: SettingsStore;
let provider: SshProvider;
let echo: Awaited<ReturnType<typeof startEchoServer>>;
let h: RuntimeHarness;

relaySshdForFile((s) => (sshd = s));

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-health-'));
  settings = new SettingsStore(dir);
  h = new RuntimeHarness();
  provider = new SshProvider({ settings, log: h.logs.logger('providers'), keepaliveIntervalMs: 50, backoff: { initialMs: 100, maxMs: 400 } });
  await provider.start();
  new HostKeyStore(settings).trust(sshd.host, sshd.port, { algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint });
  echo = await startEchoServer();
});
afterEach(async () => {
  await h.dispose();
  await provider.dispose();
  await echo.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const configure = (extra: Record<string, unknown> = {}) =>
  provider.configure({ id: 'ssh', host: sshd.host, port: sshd.port, user: sshd.user, keyFile: sshd.clientKeyPath, useAgent: false, bindAddress: '', ...extra });

describe('tunnel health through an SSH relay', () => {
  it('shows the relay keepalive round trip and an end-to-end probe that came back through the relay', async () => {
    await configure();
    const rt = h.create({ provider: 'ssh', port: echo.port }, provider, { health: { intervalMs: 100 } });
    rt.setNode(runningNode());
    rt.start();
    const t = await h.until(rt, 'online with a round trip', (x) => x.state === 'online' && x.health?.rttMs !== undefined);
    expect(t.health!.rttMs).toBeGreaterThan(0);
    expect(t.health!.rttMs).toBeLessThan(5000);

    const e2e = await h.until(rt, 'end-to-end result', (x) => !!x.health?.endToEnd);
    expect(e2e.health!.endToEnd).toMatchObject({ ok: true });
    // sshd reports the probe's own address as the origin, so the tunnel knows it and drops it.
    await h.logged('probe back through the relay', (e) => /came back through the tunnel/.test(e.message));
    expect(rt.snapshot().counters.total).toBe(0);
  });

  it('forgets the round trip when the relay goes away', async () => {
    await configure();
    const rt = h.create({ provider: 'ssh', port: echo.port }, provider, { health: { intervalMs: 100 } });
    rt.setNode(runningNode());
    rt.start();
    await h.until(rt, 'round trip', (x) => x.health?.rttMs !== undefined);
    await sshd.stop();
    const lost = await h.until(rt, 'reconnecting', (x) => x.state === 'reconnecting');
    expect(lost.health?.rttMs).toBeUndefined();
    await sshd.start();
    await h.until(rt, 'round trip again', (x) => x.state === 'online' && x.health?.rttMs !== undefined);
  });

  it('records an end-to-end probe that cannot work from here without degrading the tunnel', async () => {
    // The relay only listens on 127.0.0.1 (GatewayPorts no): its "public" 127.0.0.3 refuses us.
    await configure({ publicHost: '127.0.0.3' });
    const rt = h.create({ provider: 'ssh', port: echo.port }, provider, { health: { intervalMs: 50 } });
    rt.setNode(runningNode());
    rt.start();
    const t = await h.until(rt, 'failed end-to-end probe', (x) => x.health?.endToEnd?.ok === false && !!x.health.upstream);
    expect(t.health!.endToEnd!.error).toMatch(/^127\.0\.0\.3:\d+ not reachable from this computer: ECONNREFUSED$/);
    expect(t.state).toBe('online');
    expect(t.reason).toBeUndefined();
    await h.logged('recorded only', (e) => /recorded only/.test(e.message));
  });
});
