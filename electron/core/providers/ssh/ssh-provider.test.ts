/**
 * The SSH relay provider against a real OpenSSH sshd on 127.0.0.1 (test-support/sshd.ts):
 * host key prompts, forwarding bytes, refused ports, an unreachable and a restarted relay.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestSshd } from '../../../../test-support/sshd';
import { LogStore } from '../../logs/log-store';
import { SettingsStore } from '../../settings/settings-store';
import { HostKeyStore } from '../../ssh/host-key-store';
import { SshProvider } from './ssh-provider';
import { NOT_CONFIGURED } from './ssh-settings';
import { accepts, ForwardRecorder, LoopbackServers, relaySshdForFile, roundTrip, spec, waitForInfo } from './ssh-test-helpers';

let sshd: TestSshd;
let dir: string;
let settings: SettingsStore;
let logs: LogStore;
let provider: SshProvider;
let servers: LoopbackServers;
let echoPort: number;

relaySshdForFile((s) => (sshd = s));

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-provider-'));
  settings = new SettingsStore(dir);
  logs = new LogStore();
  provider = new SshProvider({ settings, log: logs.logger('providers'), backoff: { initialMs: 100, maxMs: 400 } });
  await provider.start();
  servers = new LoopbackServers();
  echoPort = await servers.echo();
});
afterEach(async () => {
  await provider.dispose();
  await servers.closeAll();
  logs.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const relaySettings = (extra: Record<string, unknown> = {}) => ({
  id: 'ssh',
  host: sshd.host,
  port: sshd.port,
  user: sshd.user,
  keyFile: sshd.clientKeyPath,
  useAgent: false,
  bindAddress: '',
  ...extra,
});

function trustRelay(): void {
  new HostKeyStore(settings).trust(sshd.host, sshd.port, { algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint });
}

/** sshd log lines written since `from` (its length when the test began). */
const sshdLogSince = (from: number) => fs.readFileSync(sshd.logFile, 'utf8').slice(from);

describe('SshProvider with a real sshd', () => {
  it('asks to confirm an unknown host key, then forwards bytes exactly', async () => {
    const logStart = fs.statSync(sshd.logFile).size;
    await provider.configure(relaySettings());
    expect(provider.info().hostKey).toEqual({ state: 'none' });
    const rec = new ForwardRecorder(echoPort);
    provider.open(spec('t1'), rec);

    const failed = await rec.until('failed');
    expect(failed.reason).toBe(`confirm the relay's host key ${sshd.hostKeyFingerprint} in Providers`);
    expect(provider.info().hostKey).toEqual({ state: 'unknown', algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint });
    expect(provider.info().connection).toEqual({ state: 'failed', error: failed.reason });
    expect(sshdLogSince(logStart)).not.toMatch(/Accepted publickey/);

    await expect(provider.trustHostKey('SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).rejects.toMatchObject({ code: 'invalid_params' });
    await provider.trustHostKey(sshd.hostKeyFingerprint);
    const online = await rec.until('online');
    expect(online.endpoint.host).toBe('127.0.0.1');
    expect(online.endpoint.port).toBeGreaterThan(0);
    expect(provider.info().hostKey).toEqual({ state: 'trusted', algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint });
    expect(provider.info().connection).toEqual({ state: 'connected' });
    expect(JSON.parse(fs.readFileSync(settings.file, 'utf8')).knownHosts).toEqual({
      [`127.0.0.1:${sshd.port}`]: { algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint },
    });

    const { sent, received, localPort } = await roundTrip(online.endpoint.port, 1024 * 1024);
    expect(received.length).toBe(sent.length);
    expect(received.equals(sent)).toBe(true);
    expect(rec.from).toEqual([`127.0.0.1:${localPort}`]);

    // The key file's path may be shown and logged; its contents never.
    const keyBody = fs.readFileSync(sshd.clientKeyPath, 'utf8').split('\n')[1];
    expect(JSON.stringify(logs.query({ limit: 10_000 }))).not.toContain(keyBody);
    expect(JSON.stringify(provider.info())).not.toContain(keyBody);
  });

  it('refuses a relay whose key differs from the stored one, until the user forgets it', async () => {
    const logStart = fs.statSync(sshd.logFile).size;
    const stored = 'SHA256:h0nh0nh0nh0nh0nh0nh0nh0nh0nh0nh0nh0nh0nh0nQ';
    new HostKeyStore(settings).trust(sshd.host, sshd.port, { algorithm: 'ssh-ed25519', fingerprint: stored });
    await provider.configure(relaySettings());
    const rec = new ForwardRecorder(echoPort);
    provider.open(spec('t2'), rec);

    const failed = await rec.until('failed');
    expect(failed.reason).toContain(stored);
    expect(failed.reason).toContain(sshd.hostKeyFingerprint);
    expect(failed.reason).toMatch(/intercept/);
    expect(failed.reason).toMatch(/forget/);
    const info = provider.info();
    expect(info.hostKey).toEqual({ state: 'mismatch', algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint, trustedFingerprint: stored });
    expect(info.connection).toEqual({ state: 'failed', error: failed.reason }); // no nextRetryAt: no retry loop
    expect(sshdLogSince(logStart)).not.toMatch(/Accepted publickey/);
    await expect(provider.trustHostKey(sshd.hostKeyFingerprint)).rejects.toMatchObject({ code: 'invalid_params' });

    await provider.forgetHostKey();
    await rec.until('failed', (s) => s.reason.startsWith("confirm the relay's host key"));
    expect(provider.info().hostKey).toMatchObject({ state: 'unknown', fingerprint: sshd.hostKeyFingerprint });
    await provider.trustHostKey(sshd.hostKeyFingerprint);
    await rec.until('online');
  });

  it('fails only the forward whose relay port is taken', async () => {
    // An explicit 127.0.0.1: with an empty bind address sshd would also bind [::1]:P and succeed.
    await provider.configure(relaySettings({ bindAddress: '127.0.0.1' }));
    trustRelay();
    const taken = await servers.hold('127.0.0.1');
    const a = new ForwardRecorder(echoPort);
    const b = new ForwardRecorder(echoPort);
    provider.open(spec('a', taken), a);
    provider.open(spec('b'), b);

    const failed = await a.until('failed');
    expect(failed.reason).toBe(
      `the relay refused to listen on port ${taken} (it may be in use, or remote forwarding is disabled in sshd_config: AllowTcpForwarding / GatewayPorts)`,
    );
    const online = await b.until('online');
    expect(online.endpoint.port).not.toBe(taken);
    const { sent, received } = await roundTrip(online.endpoint.port, 64 * 1024);
    expect(received.equals(sent)).toBe(true);
    expect(b.statuses.map((s) => s.state)).toEqual(['connecting', 'online']);
    expect(provider.info().connection.state).toBe('connected');
  });

  it('retries an unreachable relay and comes online by itself once it starts', async () => {
    await sshd.stop();
    await provider.configure(relaySettings());
    trustRelay();
    const rec = new ForwardRecorder(echoPort);
    provider.open(spec('t4'), rec);

    const waiting = await rec.until('reconnecting');
    expect(waiting.reason).toBe(`cannot reach relay 127.0.0.1:${sshd.port}: connect ECONNREFUSED`);
    expect(waiting.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
    const info = await waitForInfo(provider, (i) => i.connection.state === 'reconnecting' && !!i.connection.nextRetryAt, 'reconnecting info');
    expect(info.connection.error).toBe(waiting.reason);

    await sshd.start();
    const online = await rec.until('online');
    const { sent, received } = await roundTrip(online.endpoint.port, 64 * 1024);
    expect(received.equals(sent)).toBe(true);
  });

  it('gets the same public port back after the relay restarts', async () => {
    await provider.configure(relaySettings());
    trustRelay();
    const rec = new ForwardRecorder(echoPort);
    provider.open(spec('t5'), rec);
    const before = await rec.until('online');

    await sshd.stop();
    const lost = await rec.until('reconnecting');
    expect(lost.reason).toMatch(new RegExp(`relay 127\\.0\\.0\\.1:${sshd.port}`));
    expect(lost.nextRetryAt).toBeDefined();
    await sshd.start();
    const after = await rec.until('online');
    expect(after.endpoint).toEqual(before.endpoint);
    const { sent, received } = await roundTrip(after.endpoint.port, 64 * 1024);
    expect(received.equals(sent)).toBe(true);
  });

  it('a lost relay breaks the connections it carried with an error, not a clean end', async () => {
    await provider.configure(relaySettings());
    trustRelay();
    const rec = new ForwardRecorder();
    const channel = new Promise<Duplex>((resolve) => (rec.onConnection = resolve));
    provider.open(spec('t5l'), rec);
    const { port } = (await rec.until('online')).endpoint;
    const visitor = net.connect({ host: '127.0.0.1', port });
    visitor.on('error', () => undefined);
    const ch = await channel;
    let cleanEnd = false;
    ch.on('end', () => (cleanEnd = true));
    // No 'error' listener of our own: the provider must not turn the break into a crash.
    const closed = new Promise((resolve) => ch.once('close', resolve));
    ch.resume();
    await sshd.stop();
    await closed;
    expect(cleanEnd).toBe(false);
    // The killed sshd closes (FIN) or, with bytes of ours still unread in its socket, resets
    // (ECONNRESET, more likely on a busy machine): both are a lost relay, named as such.
    expect(ch.errored?.message).toMatch(/^the relay connection was lost: (connection to )?relay 127\.0\.0\.1:\d+ /);
    visitor.destroy();
  });

  it('asks the relay for the port it had before the app restarted', async () => {
    await provider.configure(relaySettings({ bindAddress: '127.0.0.1' }));
    trustRelay();
    const first = new ForwardRecorder(echoPort);
    const f = provider.open(spec('t5a'), first);
    const { port } = (await first.until('online')).endpoint;
    await f.close();
    // What the next start gets from the saved publication: its last port as a preference.
    const rec = new ForwardRecorder(echoPort);
    provider.open({ ...spec('t5a'), preferredPort: port }, rec);
    expect((await rec.until('online')).endpoint.port).toBe(port);
  });

  it('falls back to the port it first asked for when its old one is taken during an outage', async () => {
    await provider.configure(relaySettings({ bindAddress: '127.0.0.1' }));
    trustRelay();
    const rec = new ForwardRecorder(echoPort);
    provider.open(spec('t5b'), rec);
    const before = await rec.until('online');

    await sshd.stop();
    await rec.until('reconnecting');
    await servers.hold('127.0.0.1', before.endpoint.port); // someone else took it meanwhile
    await sshd.start();
    const after = await rec.until('online');
    expect(after.endpoint.port).not.toBe(before.endpoint.port);
    const { sent, received } = await roundTrip(after.endpoint.port, 16 * 1024);
    expect(received.equals(sent)).toBe(true);
  });

  it('closing a forward releases its relay port; the last one closes the connection', async () => {
    await provider.configure(relaySettings({ publicHost: 'relay.example.net' }));
    trustRelay();
    const a = new ForwardRecorder(echoPort);
    const b = new ForwardRecorder(echoPort);
    const fa = provider.open(spec('a'), a);
    const fb = provider.open(spec('b'), b);
    const [oa, ob] = await Promise.all([a.until('online'), b.until('online')]);
    expect(oa.endpoint.host).toBe('relay.example.net');
    expect(await accepts(oa.endpoint.port)).toBe(true);

    await fa.close();
    expect(await accepts(oa.endpoint.port)).toBe(false);
    const { sent, received } = await roundTrip(ob.endpoint.port, 16 * 1024);
    expect(received.equals(sent)).toBe(true);

    await fb.close();
    await waitForInfo(provider, (i) => i.connection.state === 'idle', 'idle connection');
    expect(await accepts(ob.endpoint.port)).toBe(false);
  });

  it('reports a missing configuration, then connects once configured', async () => {
    const rec = new ForwardRecorder(echoPort);
    provider.open(spec('t7'), rec);
    expect((await rec.until('failed')).reason).toBe(NOT_CONFIGURED);
    expect(provider.info().configured).toBe(false);

    trustRelay();
    await provider.configure(relaySettings());
    expect(provider.info().configured).toBe(true);
    expect(provider.info().settings).toEqual({ host: '127.0.0.1', port: sshd.port, user: sshd.user, keyFile: sshd.clientKeyPath, useAgent: false, bindAddress: '' });
    expect(JSON.parse(fs.readFileSync(settings.file, 'utf8'))['providers.ssh']).toMatchObject({ host: '127.0.0.1', keyFile: sshd.clientKeyPath });
    await rec.until('online');
  });

  it('retries a key the relay rejects, and reconnects when configured with the right one', async () => {
    const wrongKey = path.join(dir, 'wrong_ed25519');
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    trustRelay();
    await provider.configure(relaySettings({ keyFile: wrongKey }));
    const rec = new ForwardRecorder(echoPort);
    provider.open(spec('t8'), rec);

    const rejected = await rec.until('reconnecting');
    expect(rejected.reason).toBe(`relay rejected the key for user ${sshd.user}: check keyFile / authorized_keys`);
    await provider.configure(relaySettings());
    await rec.until('online');
  });

  it('leaves no timer or socket behind when disposed while retrying', async () => {
    const resources = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap').sort();
    const before = resources();
    await sshd.stop();
    await provider.configure(relaySettings());
    trustRelay();
    const rec = new ForwardRecorder(echoPort);
    provider.open(spec('t9'), rec);
    await rec.until('reconnecting');
    expect(resources().length).toBeGreaterThan(before.length); // the retry timer
    await provider.dispose();
    logs.flush(); // the log store's own batching timer is not the provider's
    // Timers of other code may have ended meanwhile: nothing may be left beyond what was there.
    const after = resources();
    for (const kind of ['Timeout', 'TCPSocketWrap']) expect(after.filter((r) => r === kind).length).toBeLessThanOrEqual(before.filter((r) => r === kind).length);
    expect(provider.info().connection).toEqual({ state: 'idle' });
  });
});
