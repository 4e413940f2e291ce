/**
 * UDP through the SSH relay against a real OpenSSH sshd on 127.0.0.1: the app's helper started
 * over an exec channel of the relay connection (python3, else socat), datagrams byte-exact both
 * ways through a TunnelRuntime to a UDP echo, and the relay's process list after unpublish and
 * after the link is cut.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { descendantsOf, isRunning, sessionProcessesWithArg } from '../../../../test-support/proc-inspect';
import { startSshd, type TestSshd } from '../../../../test-support/sshd';
import { startUdpEcho, udpClient, type UdpClient, type UdpEcho } from '../../../../test-support/udp-echo';
import { waitFor } from '../../../../test-support/wait-for';
import { SettingsStore } from '../../settings/settings-store';
import { HostKeyStore } from '../../ssh/host-key-store';
import { HELPER_MARK } from '../../ssh/datagram-helper/helper-command';
import { RuntimeHarness, runningNode } from '../../tunnels/runtime-test-helpers';
import type { TunnelRuntime } from '../../tunnels/tunnel-runtime';
import { SshProvider } from './ssh-provider';
import { relaySshdForFile } from './ssh-test-helpers';

let sshd: TestSshd;
relaySshdForFile((s) => (sshd = s));

let dir: string;
let h: RuntimeHarness;
let echo: UdpEcho;
const providers: SshProvider[] = [];
const clients: UdpClient[] = [];
const extraSshds: TestSshd[] = [];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-udp-'));
  h = new RuntimeHarness();
  echo = await startUdpEcho();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await h.dispose();
  await Promise.all(providers.splice(0).map((p) => p.dispose()));
  await echo.close();
  for (const s of extraSshds.splice(0)) {
    await s.stop();
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An SSH provider configured for `relay` (host key trusted), bound where the SSH connection arrives. */
async function providerFor(relay: TestSshd): Promise<SshProvider> {
  const settings = new SettingsStore(fs.mkdtempSync(path.join(dir, 'p-')));
  new HostKeyStore(settings).trust(relay.host, relay.port, { algorithm: 'ssh-ed25519', fingerprint: relay.hostKeyFingerprint });
  const p = new SshProvider({ settings, log: h.logs.logger('provider.ssh'), backoff: { initialMs: 100, maxMs: 400 } });
  providers.push(p);
  await p.start();
  await p.configure({ host: relay.host, port: relay.port, user: relay.user, keyFile: relay.clientKeyPath, useAgent: false, bindAddress: '' });
  return p;
}

async function udpTunnel(relay: TestSshd, id = 'u1'): Promise<{ rt: TunnelRuntime; port: number }> {
  const rt = h.create({ id, type: 'udp', port: echo.port, provider: 'ssh' }, await providerFor(relay));
  rt.setNode(runningNode());
  rt.start();
  const t = await h.until(rt, 'online', (x) => x.state === 'online' || x.state === 'failed', 30_000);
  expect(t.reason).toBeUndefined();
  expect(t.endpoint?.host).toBe(relay.host);
  return { rt, port: t.endpoint!.port };
}

const client = async (port: number) => {
  const c = await udpClient('127.0.0.1', port);
  clients.push(c);
  return c;
};

/** The helper's process and everything in its SSH session (the session process and below). */
function helperTree(): { helper: number; session: number; all: number[] } {
  const found = sessionProcessesWithArg(sshd.dir, HELPER_MARK);
  expect(found).toHaveLength(1);
  const session = found[0].ppid;
  return { helper: found[0].pid, session, all: [session, ...descendantsOf(session)] };
}

const allGone = (pids: number[], what: string) =>
  waitFor(
    (l) => {
      const t = setInterval(l, 50); // /proc has no change events: looked at every 50 ms
      return () => clearInterval(t);
    },
    () => pids.every((p) => !isRunning(p)),
    `${what}: processes ${pids.filter(isRunning).join(', ')} still running on the relay`,
  );

describe('UDP through the SSH relay (python3 helper)', () => {
  it('binds the public UDP port on the relay and carries datagrams byte-exact, replies to each peer', async () => {
    const { rt, port } = await udpTunnel(sshd);
    await h.logged('helper', (e) => e.message === `relay listens on UDP port ${port} (helper: python3 127.0.0.1)`);
    const a = await client(port);
    const b = await client(port);
    const big = randomBytes(60_000);
    a.send(big);
    expect((await a.reply(1)).equals(big)).toBe(true);
    for (let i = 0; i < 30; i++) {
      a.send(`a-${i}`);
      b.send(`b-${i}`);
    }
    await Promise.all([a.reply(31), b.reply(30)]);
    expect(a.replies.slice(1).map(String)).toEqual(Array.from({ length: 30 }, (_, i) => `a-${i}`));
    expect(b.replies.map(String)).toEqual(Array.from({ length: 30 }, (_, i) => `b-${i}`));
    // The relay framed each peer apart: the tunnel saw two peers, the node two upstream sockets.
    expect(echo.peers).toHaveLength(2);
    const t = await h.until(rt, 'counted', (x) => x.counters.datagramsOut === 61);
    expect(t.counters).toMatchObject({ open: 2, total: 2, datagramsIn: 61, bytesIn: 60_000 + 2 * (10 * 3 + 20 * 4) });
  });

  it('leaves no helper behind on the relay after unpublish, and frees the port', async () => {
    const { rt, port } = await udpTunnel(sshd);
    const c = await client(port);
    c.send('x');
    await c.reply(1);
    const tree = helperTree();
    expect(tree.all.length).toBeGreaterThanOrEqual(2);
    await rt.stop();
    await allGone([tree.helper], 'after unpublish');
    // Nothing holds the UDP port on the relay any more.
    const again = await startUdpEcho('127.0.0.1', port);
    await again.close();
  });

  it('leaves no helper behind when the SSH link is cut, and starts a new one on the same port when it is back', async () => {
    const { rt, port } = await udpTunnel(sshd);
    const tree = helperTree();
    // The relay's per-connection sshd dies as in a crash or a cut link; the helper is not
    // killed by anyone: it must end because its channel did.
    process.kill(tree.session, 'SIGKILL');
    await allGone(tree.all, 'after the link was cut');
    await h.until(rt, 'reconnected', (x) => x.state === 'online' && sessionProcessesWithArg(sshd.dir, HELPER_MARK).length === 1, 30_000);
    expect(rt.snapshot().endpoint?.port).toBe(port);
    const c = await client(port);
    c.send('back');
    expect(String(await c.reply(1))).toBe('back');
  });

  it('says exactly what the relay lacks when it has neither python3 nor socat', async () => {
    const bare = await startSshd({ extraConfig: 'SetEnv PATH=/nonexistent' });
    extraSshds.push(bare);
    const rt = h.create({ id: 'u2', type: 'udp', port: echo.port, provider: 'ssh' }, await providerFor(bare));
    rt.setNode(runningNode());
    rt.start();
    const t = await h.until(rt, 'failed', (x) => x.state === 'failed', 30_000);
    expect(t.reason).toBe('the relay has neither python3 nor socat, which carrying UDP over SSH needs: install python3 (e.g. apt install python3-minimal) or socat there');
  });
});

describe('UDP through the SSH relay (socat fallback, no python3)', () => {
  it('carries request and answer for two peers through socat, and leaves nothing behind', async () => {
    // A PATH with socat and the POSIX tools the fallback script uses, but no python3.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.chmodSync(dir, 0o755);
    for (const tool of ['socat', 'sh', 'mktemp', 'mkfifo', 'od', 'tr', 'dd', 'grep', 'head', 'sleep', 'rm']) {
      const where = ['/usr/bin', '/bin'].map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
      if (!where) throw new Error(`${tool} is missing on this machine (scripts/setup-test-env.sh installs socat)`);
      fs.symlinkSync(where, path.join(bin, tool));
    }
    const relay = await startSshd({ extraConfig: `SetEnv PATH=${bin}` });
    extraSshds.push(relay);
    const { rt, port } = await udpTunnel(relay, 'u3');
    await h.logged('socat', (e) => e.message === `relay listens on UDP port ${port} (helper: socat 127.0.0.1)`);
    const a = await client(port);
    const b = await client(port);
    // New peers one after the other: socat re-binds its port after forking a peer's child, and a
    // new peer's first datagram in that instant is lost (the fallback's known limit; clients retry).
    a.send(Buffer.from([0, 1, 2, 255, 10, 13]));
    expect([...(await a.reply(1))]).toEqual([0, 1, 2, 255, 10, 13]);
    b.send('b-1');
    expect(String(await b.reply(1))).toBe('b-1');
    // Known peers at once: each has its own child, and the answers go to the right one.
    for (let i = 2; i <= 6; i++) {
      a.send(`a-${i}`);
      b.send(`b-${i}`);
    }
    await Promise.all([a.reply(6), b.reply(6)]);
    // Each datagram passes a few processes of its own, so one peer's answers may overtake each
    // other (UDP promises no order; seen under load): each peer gets exactly its own, in any order.
    expect(a.replies.slice(1).map(String).sort()).toEqual(['a-2', 'a-3', 'a-4', 'a-5', 'a-6']);
    expect(b.replies.map(String).sort()).toEqual(['b-1', 'b-2', 'b-3', 'b-4', 'b-5', 'b-6']);
    // The script (its subshells carry the same command line): the one whose parent is not one of them.
    const marked = sessionProcessesWithArg(relay.dir, HELPER_MARK);
    const roots = marked.filter((p) => !marked.some((q) => q.pid === p.ppid));
    expect(roots).toHaveLength(1);
    const tree = [roots[0].pid, ...descendantsOf(roots[0].pid)];
    expect(tree.length).toBeGreaterThan(2); // socat and its per-peer children
    await rt.stop();
    await allGone(tree, 'after unpublish (socat)');
  });
});
