/**
 * The two ways to a node's shell, against real parts: Debian nodes running OpenSSH's sshd
 * (password and key logins, host keys made at container start), a busybox node through the
 * container engine, and both again through a remote lab host (this machine's dockerd reached
 * over a loopback sshd: direct-tcpip to the node's port, Docker over SSH for exec).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { DEBIAN_IMAGE, debianSshNode, hostKeyOf, makeClientKey, renewHostKeys, type SshClientKey } from '../../../test-support/debian-node';
import { startLab, type TestLab } from '../../../test-support/lab-containers';
import { startLabHostSshd, stopLabHostSshd, type LabHostSshd } from '../../../test-support/lab-host-sshd';
import { waitFor } from '../../../test-support/wait-for';
import { createDockerClient, execStdout } from '../docker/docker-client';
import { DirectDialer } from '../labs/dialer';
import { LocalLabSource } from '../labs/docker-lab-source';
import { LabsService } from '../labs/labs-service';
import { LogStore } from '../logs/log-store';
import { RemoteLabHost } from '../remote/remote-lab-host';
import { HostKeyStore } from '../ssh/host-key-store';
import { SettingsStore } from '../settings/settings-store';
import { TerminalService } from './terminal-service';
import type { OpenTerminal, TerminalSession } from './terminal-types';

const SSH_LAB = `tsh${process.pid}`;
const BB_LAB = `tbb${process.pid}`;
const PASSWORD = 'lab-pass-9f3c';
const docker = createDockerClient();
let sshLab: TestLab;
let bbLab: TestLab;
let key: SshClientKey;
let sshd: LabHostSshd;
let dir: string;
let logs: LogStore;
let labs: LabsService;
let remote: RemoteLabHost;
let service: TerminalService;
let settings: SettingsStore;

beforeAll(async () => {
  key = makeClientKey();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terminal-shells-'));
  [sshLab, bbLab, sshd] = await Promise.all([
    startLab({ lab: SSH_LAB, image: DEBIAN_IMAGE, nodes: [debianSshNode('deb1', key.publicKey, 'linux', { rootPassword: PASSWORD })] }),
    startLab({ lab: BB_LAB, nodes: [{ name: 'bb1' }] }),
    startLabHostSshd(),
  ]);
  await sshLab.waitForPorts('deb1', [22], 30_000);
  await bbLab.waitForPorts('bb1', [80]);
  logs = new LogStore();
  settings = new SettingsStore(dir);
  const local = new LocalLabSource({ docker, log: logs.logger('docker') });
  const hostKeys = new HostKeyStore(new SettingsStore(path.join(dir, 'remote')));
  hostKeys.trust('127.0.0.1', sshd.port, { algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint });
  remote = new RemoteLabHost({ config: { id: 'lab2', label: 'loopback', url: sshd.url, keyFile: sshd.clientKeyPath, useAgent: false }, hostKeys, log: logs.logger('host.lab2'), retry: { initialMs: 100, maxMs: 400 } });
  labs = new LabsService([
    { source: local, dialer: new DirectDialer(), docker: () => local.docker },
    { source: remote, dialer: remote.dialer, docker: () => remote.docker() },
  ]);
  await labs.start();
  const seen = (host: string) => ['deb1', 'bb1'].every((n) => labs.findNode(host, n === 'deb1' ? SSH_LAB : BB_LAB, n)?.state === 'running');
  await waitFor((l) => labs.onLabsChanged(l), () => seen('local') && seen('lab2'), 'both labs on both lab hosts', 30_000);
  service = new TerminalService({ labs, settings, dataDir: dir, log: logs.logger('terminals') });
  await service.start();
}, 120_000);

afterEach(() => {
  for (const s of service?.list() ?? []) service.kill(s.id, 'test over');
});

afterAll(async () => {
  await service?.dispose();
  await labs?.dispose();
  logs?.dispose();
  await Promise.all([sshLab?.remove(), bbLab?.remove(), stopLabHostSshd(sshd)]);
  key?.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Everything the session printed from now on, and a way to wait for some of it. */
function reader(s: TerminalSession) {
  let text = s.backlog().toString('utf8');
  let ended = '';
  const listeners = new Set<() => void>();
  s.onData((c) => {
    text += c.toString('utf8');
    listeners.forEach((l) => l());
  });
  // A session that ended says why in the failure message, instead of a bare timeout.
  s.onExit((reason) => (ended = `; the session ended: ${reason}`));
  return {
    get text() {
      return text;
    },
    until: (re: RegExp, what = String(re)) =>
      waitFor((l) => (listeners.add(l), () => listeners.delete(l)), () => re.exec(text) ?? undefined, `${what} in the terminal (so far: ${JSON.stringify(text.slice(-300))}${ended})`, 15_000),
  };
}

const sshTo = (host: string, login: { password?: string; privateKey?: string; username?: string }, extra: Partial<OpenTerminal> = {}): OpenTerminal => ({
  target: { host, lab: SSH_LAB, node: 'deb1', via: 'ssh', port: 22, username: login.username ?? 'root', password: login.password, privateKey: login.privateKey },
  cols: 80,
  rows: 24,
  ...extra,
});
const engineTo = (host: string, extra: Partial<OpenTerminal> = {}): OpenTerminal => ({ target: { host, lab: BB_LAB, node: 'bb1', via: 'engine' }, cols: 80, rows: 24, ...extra });

/** `SHA256:...` of an `ssh-ed25519 AAAA...` public key line. */
const fingerprint = (line: string) => `SHA256:${createHash('sha256').update(Buffer.from(line.split(' ')[1], 'base64')).digest('base64').replace(/=+$/, '')}`;

describe('SSH to a node (Debian, real sshd)', () => {
  it('logs in with a password on a pty: xterm-256color, the asked size, resize, and records the node\'s real host key', async () => {
    const s = await service.open(sshTo('local', { password: PASSWORD }, { cols: 91, rows: 27 }));
    const out = reader(s);
    s.write('echo "r=$((6*7)) t=$TERM"; stty size\r');
    await out.until(/r=42 t=xterm-256color\r\n27 91/, 'the command, TERM and the size');
    s.resize(120, 33);
    s.write('stty size\r');
    await out.until(/33 120/);
    const recorded = settings.get<Record<string, { fingerprint: string }>>('nodeHostKeys', {});
    const real = fingerprint(await hostKeyOf(sshLab.containers[0].id));
    expect(Object.values(recorded).map((k) => k.fingerprint)).toContain(real);
    expect(s.info()).toMatchObject({ via: 'ssh', node: 'deb1', host: 'local' });
    expect(s.info().bytesOut).toBeGreaterThan(0);
  });

  it('logs in with a private key', async () => {
    const s = await service.open(sshTo('local', { privateKey: fs.readFileSync(key.keyPath, 'utf8') }));
    const out = reader(s);
    s.write('echo key-$((40+2))\r');
    await out.until(/key-42/);
  });

  it('refuses a wrong password as unauthorized, without the password in the message or the log', async () => {
    const err = await service.open(sshTo('local', { password: 'not-the-pass-123' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unauthorized', message: `node deb1 (lab ${SSH_LAB}) refused the login as "root" (password)` });
    expect(JSON.stringify(err)).not.toContain('not-the-pass-123');
    expect(JSON.stringify(logs.query({ limit: 10000 }))).not.toContain('not-the-pass-123');
    expect(JSON.stringify(logs.query({ limit: 10000 }))).not.toContain(PASSWORD);
  });

  it('refuses a node whose host key changed (same container), with both fingerprints; forgetting it lets the next one in', async () => {
    await service.open(sshTo('local', { password: PASSWORD })).then((s) => s.close('done'));
    const before = fingerprint(await hostKeyOf(sshLab.containers[0].id));
    await renewHostKeys(sshLab.containers[0].id);
    const after = fingerprint(await hostKeyOf(sshLab.containers[0].id));
    const err = await service.open(sshTo('local', { password: PASSWORD })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'refused', field: 'hostKey', message: `the SSH host key of node deb1 (lab ${SSH_LAB}) changed: it presented ${after}, recorded was ${before}` });
    expect(service.list()).toEqual([]);
    expect(service.forgetHostKey('local', SSH_LAB, 'deb1')).toBeGreaterThan(0);
    const s = await service.open(sshTo('local', { password: PASSWORD }));
    expect(s.info().node).toBe('deb1');
    const recorded = settings.get<Record<string, { fingerprint: string }>>('nodeHostKeys', {});
    expect(Object.entries(recorded).filter(([k]) => k.startsWith(`local/${SSH_LAB}/deb1:`)).map(([, v]) => v.fingerprint)).toEqual([after]);
  });

  it('says so when nothing listens on the port', async () => {
    await expect(service.open(sshTo('local', { password: PASSWORD }, { target: { host: 'local', lab: SSH_LAB, node: 'deb1', via: 'ssh', port: 2222, username: 'root' } }))).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining(`cannot reach port 2222 of node deb1 (lab ${SSH_LAB})`),
    });
  });

  it('kill ends the session on our side at once and the node\'s shell goes away', async () => {
    const s = await service.open(sshTo('local', { password: PASSWORD }));
    const out = reader(s);
    s.write('echo pid=$$\r');
    const pid = (await out.until(/pid=(\d+)/))[1];
    const ended = new Promise<string>((resolve) => s.onExit(resolve));
    const t0 = performance.now();
    expect(service.kill(s.id, 'killed by the owner')).toBe(true);
    expect(await ended).toBe('killed by the owner');
    expect(performance.now() - t0).toBeLessThan(1000);
    // sshd hangs up the shell when the connection goes; nothing to wait on but the node itself.
    const alive = async () => (await execStdout(docker, sshLab.containers[0].id, ['sh', '-c', `kill -0 ${pid} 2>/dev/null && echo alive || echo gone`])).trim();
    const deadline = Date.now() + 15_000;
    while ((await alive()) === 'alive' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await alive()).toBe('gone');
  });
});

describe('the container engine\'s shell (busybox node, no sshd)', () => {
  it('finds the node\'s shell, runs a command on a TTY of the asked size, and resizes', async () => {
    const s = await service.open(engineTo('local', { cols: 77, rows: 21 }));
    const out = reader(s);
    s.write('echo "e=$((6*7)) t=$TERM"; stty size\r');
    await out.until(/e=42 t=xterm-256color\r\n21 77/);
    s.resize(100, 30);
    // The resize is an HTTP call to Docker, the keys go down the exec's stream: a `stty size`
    // typed right after may run before Docker applied the size. Ask again (each answer awaited)
    // until the new size shows; a resize that never lands fails after 20 answers.
    let size = '';
    for (let i = 1; i <= 20 && size !== '30 100'; i++) {
      s.write(`echo m${i}=; stty size\r`);
      size = (await out.until(new RegExp(`m${i}=\\r\\n(\\d+ \\d+)`)))[1];
    }
    expect(size).toBe('30 100');
  });

  it('ending the session hangs up the shell and what it started in the container', async () => {
    const s = await service.open(engineTo('local'));
    const out = reader(s);
    s.write('sleep 4242 & echo started-$((1+1))\r');
    await out.until(/started-2/);
    const ps = () => execStdout(docker, bbLab.containers[0].id, ['ps']);
    expect(await ps()).toMatch(/sleep 4242/);
    const shell = service.get(s.id)!;
    service.kill(s.id, 'killed by the owner');
    expect(shell.ended).toBe(true);
    await shell.gone;
    // Dead and unreaped (PID 1 of this image reaps nothing) shows as [sleep]: no live one.
    expect(await ps()).not.toMatch(/ sleep 4242/);
  });

  it('a command that does not exist in the container ends the session saying so', async () => {
    const s = await service.open({ ...engineTo('local'), target: { host: 'local', lab: BB_LAB, node: 'bb1', via: 'engine', command: ['no-such-shell'] } });
    const reason = await new Promise<string>((resolve) => s.onExit(resolve));
    expect(reason).toMatch(/cannot run no-such-shell in node bb1 .*exit code 12[67]/);
  });
});

describe('through a remote lab host (SSH)', () => {
  it('reaches the node\'s sshd with direct-tcpip through the host\'s connection', async () => {
    const s = await service.open(sshTo('lab2', { password: PASSWORD }));
    const out = reader(s);
    s.write('echo via-$((1+1))-$(hostname)\r');
    await out.until(/via-2-deb1/);
    expect(s.info().host).toBe('lab2');
  });

  it('gets the engine shell through the host\'s Docker over SSH', async () => {
    const s = await service.open(engineTo('lab2', { cols: 88, rows: 22 }));
    const out = reader(s);
    s.write('echo remote-$((7*6)); stty size\r');
    await out.until(/remote-42\r\n22 88/);
    s.resize(90, 25);
    s.write('stty size\r');
    await out.until(/25 90/);
    expect(s.info().host).toBe('lab2');
  });
});
