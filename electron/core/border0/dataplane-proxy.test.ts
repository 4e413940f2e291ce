/**
 * The dataplane through a real HTTP CONNECT proxy (tinyproxy) to the real tunnel sshd: plain,
 * with Basic auth, with a wrong password, and with the proxy down and coming back.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { echoThrough } from '../../../e2e/fixtures/net-client';
import { makeCa, startTunnelSshd, type TunnelSshd } from '../../../e2e/fixtures/tunnel-sshd';
import { startEchoServer } from '../test-support/echo-server';
import { Border0Dataplane } from './dataplane';
import { freePort, Recorder, startTinyproxy, TestLog, testCredentials, type Tinyproxy } from './dataplane-test-helpers';

const USER = 'b0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const AUTH = { user: 'labuser', password: 'Pr0xy-s3cret' };
let dir: string;
let ca: { caKey: string; caPub: string };
let sshd: TunnelSshd;
let echo: Awaited<ReturnType<typeof startEchoServer>>;
let cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplane-proxy-test-'));
  ca = await makeCa(dir);
  sshd = await startTunnelSshd({ caPubKeyPath: ca.caPub, user: USER });
  echo = await startEchoServer();
});
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});
afterAll(async () => {
  await sshd?.stop();
  await echo?.close();
  if (sshd) fs.rmSync(sshd.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

async function proxy(o: { auth?: boolean; port?: number } = {}): Promise<Tinyproxy> {
  const p = await startTinyproxy({ connectPorts: [22, sshd.port], basicAuth: o.auth ? AUTH : undefined, port: o.port });
  cleanups.push(() => p.stop());
  return p;
}

function dataplane(proxyUrl: string) {
  const rec = new Recorder(echo.port);
  const log = new TestLog();
  const creds = testCredentials({ caKey: ca.caKey, principal: USER, hostKey: sshd.hostKeyBlob });
  const dp = new Border0Dataplane({
    tunnelServer: { host: sshd.host, port: sshd.port },
    username: USER,
    credentials: creds.credentials,
    localPort: 0,
    proxy: proxyUrl,
    log,
    onStatus: rec.onStatus,
    onConnection: rec.onConnection,
    backoff: { initialMs: 100, maxMs: 300 },
  });
  cleanups.push(async () => {
    await dp.close();
    rec.destroyAll();
  });
  return { dp, rec, log };
}

describe('Border0Dataplane through an HTTP CONNECT proxy', () => {
  it('runs SSH through tinyproxy and forwards bytes exactly', async () => {
    const p = await proxy();
    const { dp, rec, log } = dataplane(`http://127.0.0.1:${p.port}`);
    dp.start();
    const { boundPort } = await rec.until('online');
    const sent = randomBytes(256 * 1024);
    expect((await echoThrough('127.0.0.1', boundPort, sent)).equals(sent)).toBe(true);
    expect(fs.readFileSync(p.logFile, 'utf8')).toContain(`CONNECT 127.0.0.1:${sshd.port} HTTP/1.1`);
    expect(log.lines.some((l) => l.message === `logged in to tunnel server 127.0.0.1:${sshd.port} as ${USER} through the proxy`)).toBe(true);
  });

  it('logs in to the proxy with Basic auth and never logs the password', async () => {
    const p = await proxy({ auth: true });
    const { dp, rec, log } = dataplane(`http://${AUTH.user}:${AUTH.password}@127.0.0.1:${p.port}`);
    dp.start();
    await rec.until('online');
    expect(log.lines.some((l) => l.message.includes(`through proxy 127.0.0.1:${p.port}`))).toBe(true);
    expect(JSON.stringify(log.lines)).not.toContain(AUTH.password);
  });

  it('stops with a clear reason when the proxy refuses the password', async () => {
    const p = await proxy({ auth: true });
    const { dp, rec, log } = dataplane(`http://${AUTH.user}:wr0ng-pass@127.0.0.1:${p.port}`);
    dp.start();
    const failed = await rec.until('failed');
    expect(failed.reason).toBe(`proxy 127.0.0.1:${p.port} refused CONNECT to 127.0.0.1:${sshd.port}: 401 Unauthorized (check the user and password in the proxy URL)`);
    expect(JSON.stringify([rec.statuses, log.lines])).not.toContain('wr0ng-pass');
  });

  it('keeps retrying while the proxy is down, naming it, and comes up when it is back', async () => {
    const port = await freePort();
    const { dp, rec } = dataplane(`http://127.0.0.1:${port}`);
    dp.start();
    const waiting = await rec.until('reconnecting');
    expect(waiting.reason).toBe(`cannot reach proxy 127.0.0.1:${port}: ECONNREFUSED`);
    expect(waiting.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
    await proxy({ port });
    const { boundPort } = await rec.until('online');
    expect((await echoThrough('127.0.0.1', boundPort, Buffer.from('back'))).toString()).toBe('back');
  });
});
