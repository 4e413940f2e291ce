/**
 * RemoteLabHost against real parts: this machine's dockerd reached through a loopback sshd as
 * a docker-group user, a lab started like containerlab starts one. Waits are event-driven.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type TestLab } from '../../../test-support/lab-containers';
import type { LabHostStatus } from '../../../shared/model';
import { AppError } from '../../../shared/rpc-errors';
import { LogStore } from '../logs/log-store';
import { HostKeyStore } from '../ssh/host-key-store';
import { SettingsStore } from '../settings/settings-store';
import { waitFor } from '../../../test-support/wait-for';
import { DockerChannels } from './docker-channels';
import { createSshDockerClient } from './docker-over-ssh';
import { HostConnection } from './host-connection';
import { RemoteLabHost } from './remote-lab-host';
import { freezeSshd, startLabHostSshd, stopLabHostSshd, type LabHostSshd } from '../../../test-support/lab-host-sshd';

const run = promisify(execFile);
const LAB = `rlh${process.pid}`;
let lab: TestLab;
let sshd: LabHostSshd;
let dir: string;
let logs: LogStore;
const hosts: RemoteLabHost[] = [];

beforeAll(async () => {
  [lab, sshd] = await Promise.all([startLab({ lab: LAB, nodes: [{ name: 'n1' }, { name: 'n2', kind: 'ceos' }] }), startLabHostSshd()]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-host-'));
});
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
  logs?.dispose();
});
afterAll(async () => {
  await lab?.remove();
  await stopLabHostSshd(sshd);
  fs.rmSync(dir, { recursive: true, force: true });
});

function keysFor(target: LabHostSshd, trust: 'trusted' | 'unknown' | 'wrong' = 'trusted'): HostKeyStore {
  const keys = new HostKeyStore(new SettingsStore(fs.mkdtempSync(path.join(dir, 's-'))));
  if (trust === 'trusted') keys.trust('127.0.0.1', target.port, { algorithm: 'ssh-ed25519', fingerprint: target.hostKeyFingerprint });
  if (trust === 'wrong') keys.trust('127.0.0.1', target.port, { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
  return keys;
}

function newHost(target: LabHostSshd = sshd, trust: 'trusted' | 'unknown' | 'wrong' = 'trusted', keepalive?: { intervalMs: number; maxMissed: number }) {
  const keys = keysFor(target, trust);
  logs = new LogStore();
  const host = new RemoteLabHost({
    config: { id: 'lab2', label: 'loopback', url: target.url, keyFile: target.clientKeyPath, useAgent: false },
    hostKeys: keys,
    log: logs.logger('host.lab2'),
    retry: { initialMs: 100, maxMs: 400 },
    keepalive,
  });
  hosts.push(host);
  return host;
}

const until = <T>(h: RemoteLabHost, check: () => T | undefined | false, what: string, ms = 20_000) =>
  waitFor((l) => h.onChanged(l), check, `${what} (status ${JSON.stringify(h.status())})`, ms);
const listening = (h: RemoteLabHost, node: string) =>
  h.labs().find((l) => l.name === LAB)?.nodes.find((n) => n.name === node)?.ports.filter((p) => p.source === 'listening').map((p) => p.port).join();

describe('RemoteLabHost over a real sshd', () => {
  it('lists the lab through Docker over SSH (a socket forward), with its host id, ports and latency', async () => {
    const h = newHost();
    await h.start();
    await until(h, () => listening(h, 'n1') === '7,80,8080' && listening(h, 'n2') === '7,80,8080', 'both nodes with their listening ports');
    const found = h.labs().find((l) => l.name === LAB)!;
    expect(found.host).toBe('lab2');
    expect(found.nodes.map((n) => [n.name, n.kind, n.state])).toEqual([['n1', 'linux', 'running'], ['n2', 'ceos', 'running']]);
    expect(found.nodes[0].ipv4).toBe(await lab.ip('n1'));
    const st = await until(h, () => h.status().latencyMs !== undefined && h.status(), 'a keepalive round trip');
    expect(st).toMatchObject({ id: 'lab2', label: 'loopback', kind: 'ssh', address: sshd.url, state: 'connected', hostKey: { state: 'trusted', fingerprint: sshd.hostKeyFingerprint } });
    expect(st.latencyMs).toBeGreaterThanOrEqual(0);
    expect(st.latencyMs).toBeLessThan(1000);
    expect(logs.query({ limit: 1000 }).some((e) => e.message.startsWith('Docker API through a socket forward to /var/run/docker.sock'))).toBe(true);
  });

  it('follows Docker events over SSH as for local labs: a node stopped, started again (ports read anew), removed', async () => {
    const h = newHost();
    await h.start();
    await until(h, () => listening(h, 'n2') === '7,80,8080', 'n2 with its ports');
    const extra = await startLab({ lab: `${LAB}x`, nodes: [{ name: 'e1' }] });
    try {
      const node = (name: string, labName = LAB) => h.labs().find((l) => l.name === labName)?.nodes.find((n) => n.name === name);
      await until(h, () => node('e1', `${LAB}x`)?.state === 'running', 'a lab deployed later');
      await lab.stop('n2');
      await until(h, () => node('n2')?.state === 'exited' && listening(h, 'n2') === '', 'n2 exited, without ports');
      await lab.start('n2');
      await until(h, () => node('n2')?.state === 'running' && listening(h, 'n2') === '7,80,8080', 'n2 running with its ports read again');
      expect(node('n2')?.ipv4).toBe(await lab.ip('n2'));
      await extra.removeNode('e1');
      await until(h, () => !h.labs().some((l) => l.name === `${LAB}x`), 'the later lab gone with its last node');
    } finally {
      await extra.remove();
    }
  });

  it('logs in with the ssh-agent (SSH_AUTH_SOCK) when asked, without a key file', async () => {
    const agentDir = fs.mkdtempSync(path.join(dir, 'agent-'));
    const sock = path.join(agentDir, 'agent.sock');
    // A real ssh-agent holding the fixture's client key; -D keeps it a child we can kill.
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      await waitForPath(sock);
      await run('ssh-add', [sshd.clientKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      process.env.SSH_AUTH_SOCK = sock;
      logs = new LogStore();
      const h = new RemoteLabHost({
        config: { id: 'lab2', label: 'loopback', url: sshd.url, useAgent: true },
        hostKeys: keysFor(sshd),
        log: logs.logger('host.lab2'),
        retry: { initialMs: 100, maxMs: 400 },
      });
      hosts.push(h);
      await h.start();
      await until(h, () => h.labs().some((l) => l.name === LAB), 'the lab through an agent login');
      expect(h.status().state).toBe('connected');
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      agent.kill();
    }
  });

  it('dials node ports through the host with direct-tcpip, byte-exact, and says why a port is refused', async () => {
    const h = newHost();
    await h.start();
    await until(h, () => h.status().state === 'connected', 'connected');
    const ip = await lab.ip('n1');
    const payload = randomBytes(256 * 1024);
    expect((await echoOver(await h.dialer.dial(ip, 7), payload)).equals(payload)).toBe(true);
    await expect(h.dialer.dial(ip, 9)).rejects.toThrow(`the lab host could not connect to ${ip}:9`);
    // Like a socket: destroyed without being read (a health probe), it still closes.
    const unread = await h.dialer.dial(ip, 80);
    const closed = new Promise((r) => unread.once('close', r));
    unread.destroy();
    await closed;
  });

  it('asks to confirm an unknown host key, refuses a wrong fingerprint, connects once trusted', async () => {
    const h = newHost(sshd, 'unknown');
    await h.start();
    const waiting = await until(h, () => h.status().hostKey?.state === 'unknown' && h.status(), 'the key question');
    expect(waiting).toMatchObject({ state: 'unreachable', hostKey: { state: 'unknown', algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint } });
    expect(waiting.error).toContain(`presented an unknown host key ${sshd.hostKeyFingerprint}`);
    expect(waiting.nextRetryAt).toBeUndefined(); // no retry loop: the user decides
    await expect(h.trustHostKey('SHA256:not-the-key')).rejects.toMatchObject({ code: 'invalid_params' });
    await h.trustHostKey(sshd.hostKeyFingerprint);
    await until(h, () => h.labs().some((l) => l.name === LAB), 'the lab once trusted');
    expect(h.status().hostKey).toEqual({ state: 'trusted', algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint });
  });

  it('refuses a host whose key changed, and will not trust the new key over the old one', async () => {
    const h = newHost(sshd, 'wrong');
    await h.start();
    const refused = await until(h, (): LabHostStatus | false => h.status().hostKey?.state === 'mismatch' && h.status(), 'the mismatch');
    expect(refused.state).toBe('unreachable');
    expect(refused.error).toContain('connection refused');
    expect(refused.hint).toMatch(/remove the lab host and add it again/);
    expect(refused.hostKey).toMatchObject({ fingerprint: sshd.hostKeyFingerprint, trustedFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    const err = await h.trustHostKey(sshd.hostKeyFingerprint).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('refused');
    expect(h.labs()).toEqual([]);
  });

  it('goes unreachable with a retry time when sshd stops, and comes back with its labs when it starts', async () => {
    const h = newHost();
    await h.start();
    await until(h, () => listening(h, 'n1') === '7,80,8080', 'the lab');
    // A node connection in flight is broken with the reason, not ended as if the node closed it.
    const inFlight = await h.dialer.dial(await lab.ip('n1'), 7);
    const ended = new Promise((resolve) => inFlight.once('close', resolve));
    inFlight.resume();
    await sshd.stop();
    try {
      await ended;
      // sshd going away closes the link, or resets it when our bytes were still unread there
      // (seen under load): both name the lost link and the host.
      expect(inFlight.errored?.message).toMatch(/^the lab host connection was lost: (lost the SSH connection to )?127\.0\.0\.1:\d+\b/);
      const down = await until(h, () => (h.status().state === 'unreachable' && !!h.status().nextRetryAt && h.status()), 'unreachable');
      expect(down.error).toMatch(/127\.0\.0\.1:\d+/);
      expect(down.hint).toBeTruthy();
      expect(down.latencyMs).toBeUndefined();
      expect(h.labs()).toEqual([]);
      await expect(h.dialer.dial(await lab.ip('n1'), 7)).rejects.toThrow(/lab host loopback is not connected/);
    } finally {
      // Started again even when an assertion failed: the tests after this one share this sshd.
      await sshd.start();
    }
    await until(h, () => h.status().state === 'connected' && listening(h, 'n1') === '7,80,8080', 'connected again with the lab');
    const payload = randomBytes(4096);
    expect((await echoOver(await h.dialer.dial(await lab.ip('n1'), 8080), payload)).equals(payload)).toBe(true);
  });

  it('notices a host that hangs without closing the connection, by its unanswered keepalives', async () => {
    const h = newHost(sshd, 'trusted', { intervalMs: 200, maxMissed: 3 });
    await h.start();
    await until(h, () => h.status().state === 'connected' && h.labs().some((l) => l.name === LAB), 'connected');
    const thaw = freezeSshd(sshd);
    try {
      const down = await until(h, () => h.status().state === 'unreachable' && h.status(), 'unreachable after the freeze');
      expect(down.error).toMatch(/stopped answering \(3 keepalives unanswered\)/);
      expect(h.labs()).toEqual([]);
    } finally {
      thaw();
    }
    await until(h, () => h.status().state === 'connected' && h.labs().some((l) => l.name === LAB), 'connected again after the thaw');
  });
});

describe('RemoteLabHost when sshd does not forward unix sockets', () => {
  let strict: LabHostSshd;
  beforeAll(async () => {
    strict = await startLabHostSshd({ extraConfig: 'AllowStreamLocalForwarding no' });
  });
  afterAll(() => stopLabHostSshd(strict));

  it('falls back to `docker system dial-stdio`, and queues requests beyond sshd\'s sessions', async () => {
    const h = newHost(strict);
    await h.start();
    await until(h, () => listening(h, 'n1') === '7,80,8080' && listening(h, 'n2') === '7,80,8080', 'the lab through dial-stdio');
    const chose = logs.query({ limit: 1000 }).find((e) => e.message.startsWith('Docker API through `docker system dial-stdio`'));
    expect(chose?.fields?.socketForward).toMatch(/open failed|prohibited/i);
    // Far more requests at once than sshd has sessions (MaxSessions 10): they queue, none fails.
    const conn = new HostConnection({ address: h.address, keyFile: strict.clientKeyPath, useAgent: false, hostKeys: keysFor(strict), onRtt: () => undefined, onClose: () => undefined });
    await conn.connect();
    try {
      const docker = createSshDockerClient(new DockerChannels(conn, logs.logger('t')));
      const answers = await Promise.all(Array.from({ length: 40 }, () => docker.ping()));
      expect(answers.map(String)).toEqual(Array(40).fill('OK'));
    } finally {
      await conn.end();
    }
  });
});

/** Resolves once `p` exists (the agent creates its socket after it started), watching its folder. */
function waitForPath(p: string, ms = 5000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      w.close();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const w = fs.watch(path.dirname(p), () => fs.existsSync(p) && done());
    const timer = setTimeout(() => done(new Error(`${p} did not appear within ${ms} ms`)), ms);
    if (fs.existsSync(p)) done();
  });
}

/** Writes `payload` to a dialled stream and collects the echo until it is complete. */
function echoOver(ch: Duplex, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    ch.on('data', (b: Buffer) => {
      chunks.push(b);
      got += b.length;
      if (got >= payload.length) ch.end();
    });
    ch.on('close', () => resolve(Buffer.concat(chunks)));
    ch.on('error', reject);
    ch.write(payload);
  });
}
