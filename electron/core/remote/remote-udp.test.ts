/**
 * UDP to the nodes of a remote lab host: the datagram helper in connect mode on the host (this
 * machine again, through a loopback sshd as the lab host's user), started over an exec channel
 * of the host's own SSH connection. A UDP echo on 127.0.0.1 stands in for the node's service;
 * the public side is the local provider.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLabHostSshd, stopLabHostSshd, type LabHostSshd } from '../../../test-support/lab-host-sshd';
import { isRunning, sessionProcessesWithArg } from '../../../test-support/proc-inspect';
import { startUdpEcho, udpClient, type UdpClient, type UdpEcho } from '../../../test-support/udp-echo';
import { waitFor } from '../../../test-support/wait-for';
import { HELPER_MARK } from '../ssh/datagram-helper/helper-command';
import { HostKeyStore } from '../ssh/host-key-store';
import { SettingsStore } from '../settings/settings-store';
import { localRuntimeSetup, runningNode, type LocalRuntimeSetup } from '../tunnels/runtime-test-helpers';
import { HostConnection } from './host-connection';
import { SshDialer } from './ssh-dialer';

let sshd: LabHostSshd;
let dir: string;
let s: LocalRuntimeSetup;
let echo: UdpEcho;
const conns: HostConnection[] = [];
const clients: UdpClient[] = [];
const extra: LabHostSshd[] = [];

beforeAll(async () => {
  sshd = await startLabHostSshd();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-udp-'));
});
afterAll(async () => {
  await stopLabHostSshd(sshd);
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await s?.dispose();
  await echo?.close();
  await Promise.all(conns.splice(0).map((c) => c.end()));
  for (const x of extra.splice(0)) await stopLabHostSshd(x);
});

async function dialerTo(target: LabHostSshd): Promise<{ dialer: SshDialer; conn: HostConnection }> {
  const keys = new HostKeyStore(new SettingsStore(fs.mkdtempSync(path.join(dir, 's-'))));
  keys.trust('127.0.0.1', target.port, { algorithm: 'ssh-ed25519', fingerprint: target.hostKeyFingerprint });
  const conn = new HostConnection({ address: { user: target.labUser, host: '127.0.0.1', port: target.port }, keyFile: target.clientKeyPath, useAgent: false, hostKeys: keys, onRtt: () => undefined, onClose: () => undefined });
  conns.push(conn);
  await conn.connect();
  return { conn, dialer: new SshDialer(() => conn, () => 'not connected', 'lab host loopback') };
}

async function tunnelThrough(dialer: SshDialer, health?: { intervalMs: number; timeoutMs: number }) {
  s = await localRuntimeSetup('remote-udp-rt-');
  const rt = s.h.create({ type: 'udp', port: echo.port, host: 'lab2' }, s.provider, { dialer, ...(health ? { health } : {}) });
  rt.setNode(runningNode());
  rt.start();
  const t = await s.h.until(rt, 'online', (x) => x.state === 'online', 20_000);
  return { rt, port: t.endpoint!.port };
}

const client = async (port: number) => {
  const c = await udpClient('127.0.0.1', port);
  clients.push(c);
  return c;
};

describe('UDP to a node of a remote lab host', () => {
  it('carries datagrams byte-exact through the host\'s helper, one upstream socket per peer', async () => {
    echo = await startUdpEcho();
    const { dialer } = await dialerTo(sshd);
    const { rt, port } = await tunnelThrough(dialer);
    const a = await client(port);
    const b = await client(port);
    const payload = Buffer.from(Array.from({ length: 1400 }, (_, i) => i & 255));
    a.send(payload);
    expect((await a.reply(1)).equals(payload)).toBe(true);
    for (let i = 0; i < 20; i++) {
      a.send(`a-${i}`);
      b.send(`b-${i}`);
    }
    await Promise.all([a.reply(21), b.reply(20)]);
    expect(b.replies.map(String)).toEqual(Array.from({ length: 20 }, (_, i) => `b-${i}`));
    expect(a.replies.slice(1).map(String)).toEqual(Array.from({ length: 20 }, (_, i) => `a-${i}`));
    // The helper on the host holds a socket per peer: the node saw two sources.
    expect(echo.peers).toHaveLength(2);
    expect(rt.snapshot().counters).toMatchObject({ open: 2, total: 2 });
  });

  it('reports a port nothing listens on as degraded (the host\'s socket got port unreachable)', async () => {
    echo = await startUdpEcho();
    const closedPort = echo.port;
    await echo.close();
    echo = await startUdpEcho(); // another, so afterEach has one to close
    const { dialer } = await dialerTo(sshd);
    s = await localRuntimeSetup('remote-udp-rt-');
    const rt = s.h.create({ type: 'udp', port: closedPort, host: 'lab2' }, s.provider, { dialer, health: { intervalMs: 60_000, timeoutMs: 2000 } });
    rt.setNode(runningNode());
    rt.start();
    const t = await s.h.until(rt, 'degraded', (x) => x.state === 'degraded', 20_000);
    expect(t.reason).toBe(`node r1 does not listen on UDP port ${closedPort} (port unreachable)`);
  });

  it('the helper ends with the host connection', async () => {
    echo = await startUdpEcho();
    const { dialer, conn } = await dialerTo(sshd);
    const { port } = await tunnelThrough(dialer);
    const c = await client(port);
    c.send('x');
    await c.reply(1);
    const before = new Set(sessionProcessesWithArg(sshd.dir, HELPER_MARK).map((p) => p.pid));
    expect(before.size).toBe(1);
    await conn.end();
    await waitFor(
      (l) => {
        const t = setInterval(l, 50); // /proc has no change events
        return () => clearInterval(t);
      },
      () => [...before].every((p) => !isRunning(p)),
      'the helper to exit after the host connection ended',
    );
  });

  it('says what the lab host lacks when it has no python3', async () => {
    echo = await startUdpEcho();
    const bare = await startLabHostSshd({ extraConfig: 'SetEnv PATH=/nonexistent' });
    extra.push(bare);
    const { dialer } = await dialerTo(bare);
    s = await localRuntimeSetup('remote-udp-rt-');
    const rt = s.h.create({ type: 'udp', port: echo.port, host: 'lab2' }, s.provider, { dialer, health: { intervalMs: 60_000, timeoutMs: 2000 } });
    rt.setNode(runningNode());
    rt.start();
    const t = await s.h.until(rt, 'degraded', (x) => x.state === 'degraded', 20_000);
    expect(t.reason).toBe(`cannot reach node r1 at 127.0.0.1:${echo.port} over UDP: lab host loopback has no python3, which carrying UDP over SSH needs: install python3 there (e.g. apt install python3-minimal)`);
  });
});
