/**
 * The dataplane through a real HTTP CONNECT proxy (tinyproxy) to the real tunnel sshd: plain,
 * with Basic auth, with a wrong password, and with the proxy down and coming back.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { echoThrough } from '../../../../test-support/net-client';
import { freePort, startTinyproxy, type Tinyproxy, DATAPLANE_USER, dataplaneBed } from './dataplane-test-helpers';

const USER = DATAPLANE_USER;
const AUTH = { user: 'labuser', password: 'Pr0xy-s3cret' };
const bed = dataplaneBed('dataplane-proxy-test-');

async function proxy(o: { auth?: boolean; port?: number } = {}): Promise<Tinyproxy> {
  const p = await startTinyproxy({ connectPorts: [22, bed.sshd.port], basicAuth: o.auth ? AUTH : undefined, port: o.port });
  bed.cleanup(() => p.stop());
  return p;
}

/** A dataplane through the proxy at `proxyUrl` (retries quicker than the others: the proxy comes and goes). */
const dataplane = (proxyUrl: string) => bed.dataplane({ proxy: proxyUrl, backoff: { initialMs: 100, maxMs: 300 } });

describe('Border0Dataplane through an HTTP CONNECT proxy', () => {
  it('runs SSH through tinyproxy and forwards bytes exactly', async () => {
    const p = await proxy();
    const { dp, rec, log } = dataplane(`http://127.0.0.1:${p.port}`);
    dp.start();
    const { boundPort } = await rec.until('online');
    const sent = randomBytes(256 * 1024);
    expect((await echoThrough('127.0.0.1', boundPort, sent)).equals(sent)).toBe(true);
    expect(fs.readFileSync(p.logFile, 'utf8')).toContain(`CONNECT 127.0.0.1:${bed.sshd.port} HTTP/1.1`);
    expect(log.lines.some((l) => l.message === `logged in to tunnel server 127.0.0.1:${bed.sshd.port} as ${USER} through the proxy`)).toBe(true);
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
    expect(failed.reason).toBe(`proxy 127.0.0.1:${p.port} refused CONNECT to 127.0.0.1:${bed.sshd.port}: 401 Unauthorized (check the user and password in the proxy URL)`);
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
