/**
 * The dataplane's staying power against the real tunnel sshd: the server going down and
 * coming back (fresh certificate, same port), and a server that silently stops answering
 * (frozen with SIGSTOP), which only the keepalive can notice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { echoThrough } from '../../../e2e/fixtures/net-client';
import { makeCa, startTunnelSshd, type TunnelSshd } from '../../../e2e/fixtures/tunnel-sshd';
import { fingerprintOf } from '../providers/ssh/host-key-store';
import { startEchoServer } from '../test-support/echo-server';
import { Border0Dataplane, type DataplaneOptions } from './dataplane';
import { freePort, Recorder, TestLog, testCredentials } from './dataplane-test-helpers';

const USER = 'b0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
let dir: string;
let ca: { caKey: string; caPub: string };
let sshd: TunnelSshd;
let echo: Awaited<ReturnType<typeof startEchoServer>>;
let cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplane-reconnect-test-'));
  ca = await makeCa(dir);
  sshd = await startTunnelSshd({ caPubKeyPath: ca.caPub, user: USER });
  echo = await startEchoServer();
});
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
  await sshd.start(); // a test may have stopped it
});
afterAll(async () => {
  await sshd?.stop();
  await echo?.close();
  if (sshd) fs.rmSync(sshd.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

function dataplane(over: Partial<DataplaneOptions> = {}) {
  const rec = new Recorder(echo.port);
  const creds = testCredentials({ caKey: ca.caKey, principal: USER, hostKey: sshd.hostKeyBlob });
  const dp = new Border0Dataplane({
    tunnelServer: { host: sshd.host, port: sshd.port },
    username: USER,
    credentials: creds.credentials,
    localPort: 0,
    log: new TestLog(),
    onStatus: rec.onStatus,
    onConnection: rec.onConnection,
    backoff: { initialMs: 100, maxMs: 400 },
    ...over,
  });
  cleanups.push(async () => {
    await dp.close();
    rec.destroyAll();
  });
  return { dp, rec, creds };
}

const blobOf = (line: string) => Buffer.from(line.split(' ')[1], 'base64');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('Border0Dataplane reconnects', () => {
  it('comes back on its own, with a fresh certificate and the same port, after the tunnel server restarts', async () => {
    const wanted = await freePort();
    const { dp, rec, creds } = dataplane({ localPort: wanted });
    dp.start();
    await rec.until('online');
    const upTo = rec.statuses.length;

    await sshd.stop();
    const lost = await rec.until('reconnecting', () => true, upTo);
    expect(lost.reason).toMatch(new RegExp(`^(tunnel server 127\\.0\\.0\\.1:${sshd.port} closed the connection|connection to tunnel server 127\\.0\\.0\\.1:${sshd.port} lost: ECONNRESET)$`));
    const down = await rec.until('reconnecting', (s) => s.reason === `cannot reach tunnel server 127.0.0.1:${sshd.port}: ECONNREFUSED`, upTo);
    expect(down.nextRetryAt).toBeGreaterThan(0);

    const logStart = fs.statSync(sshd.logFile).size;
    await sshd.start();
    const back = await rec.until('online', () => true, upTo);
    expect(back.boundPort).toBe(wanted);
    expect((await echoThrough('127.0.0.1', wanted, Buffer.from('again'))).toString()).toBe('again');

    // Every attempt asked for a certificate; the one that got in was the newest.
    expect(creds.issued.length).toBeGreaterThanOrEqual(3);
    const newest = fingerprintOf(blobOf(creds.issued[creds.issued.length - 1].publicKey));
    expect(newest).not.toBe(fingerprintOf(blobOf(creds.issued[0].publicKey)));
    expect(fs.readFileSync(sshd.logFile, 'utf8').slice(logStart)).toMatch(new RegExp(`Accepted publickey for ${USER} .* ECDSA-CERT ${escape(newest)} `));
  });
});

describe('Border0Dataplane keepalive', () => {
  it('measures the round trip, and declares a frozen server dead after 4 missed replies', async () => {
    let firstRtt: (ms: number) => void = () => {};
    const measured = new Promise<number>((r) => (firstRtt = r));
    const { dp, rec } = dataplane({ keepaliveIntervalMs: 200, keepaliveMaxMissed: 4, onKeepalive: (ms) => firstRtt(ms) });
    dp.start();
    await rec.until('online');
    const rtt = await measured;
    expect(rtt).toBeGreaterThan(0);
    expect(rtt).toBeLessThan(1000);
    expect(dp.lastKeepaliveRttMs).toBeGreaterThan(0);

    const upTo = rec.statuses.length;
    // The connection's own sshd processes stop answering; the listener still accepts new ones.
    const frozen = sshd.sessionPids();
    expect(frozen.length).toBeGreaterThan(0);
    cleanups.push(() => frozen.forEach((pid) => signal(pid, 'SIGKILL')));
    const frozenAt = Date.now();
    frozen.forEach((pid) => signal(pid, 'SIGSTOP'));

    const dead = await rec.until('reconnecting', () => true, upTo);
    const after = Date.now() - frozenAt;
    expect(dead.reason).toBe(`tunnel server 127.0.0.1:${sshd.port} stopped answering: 4 keepalives in a row without a reply (one every 0.2 s)`);
    // 4 intervals with requests unanswered, declared on the 5th tick.
    expect(after).toBeGreaterThanOrEqual(750);
    expect(after).toBeLessThan(5000);
    await rec.until('online', () => true, upTo);
  });
});

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}
