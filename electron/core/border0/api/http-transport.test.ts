/**
 * API calls through a real tinyproxy: the proxy configured for border0 wins; without one the
 * environment's HTTP(S)_PROXY is used, minus NO_PROXY. The proxy sees a CONNECT, so the token
 * never passes through it in a request line or header it can read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCa, startBorder0Standin, type Standin } from '../../../../test-support/border0-standin';
import { startTinyproxy, type Tinyproxy } from '../../../../test-support/tinyproxy';
import { LogStore } from '../../logs/log-store';
import { Border0Api } from './api-client';
import { HttpTransport, type ProxyRoute } from './http-transport';

let dir: string;
let standin: Standin;
let proxy: Tinyproxy;
let standinPort: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'border0-transport-test-'));
  const ca = await makeCa(dir);
  standin = await startBorder0Standin({ caKeyPath: ca.caKeyPath, tunnelServer: { host: '127.0.0.1', port: 22 }, hostKeyPub: ca.caPub });
  standinPort = Number(new URL(standin.url).port);
  proxy = await startTinyproxy({ connectPorts: [standinPort] });
});
afterAll(async () => {
  await Promise.all([standin?.close(), proxy?.stop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Lines tinyproxy logged for CONNECTs to the stand-in, counted from `from` bytes on. */
const connects = (from: number) => fs.readFileSync(proxy.logFile, 'utf8').slice(from).split('\n').filter((l) => l.includes(`CONNECT 127.0.0.1:${standinPort}`)).length;
const logSize = () => fs.statSync(proxy.logFile).size;

async function callThrough(route: ProxyRoute): Promise<number> {
  const transport = new HttpTransport(() => route);
  const token = standin.issueToken();
  const api = new Border0Api({ baseUrl: standin.apiUrl, getToken: () => token, authHeader: 'x-access-token', transport, log: new LogStore().logger('api') });
  const from = logSize();
  try {
    await api.listSockets();
    await api.refresh();
  } finally {
    await api.close();
  }
  return connects(from);
}

describe('HttpTransport', () => {
  it('sends API calls through the configured proxy, whatever the environment says', async () => {
    expect(await callThrough({ configured: `http://127.0.0.1:${proxy.port}`, env: { NO_PROXY: '*' } })).toBeGreaterThanOrEqual(1);
  });

  it('without one, through HTTP_PROXY for an http API, and not for hosts NO_PROXY names', async () => {
    expect(await callThrough({ env: { HTTP_PROXY: `http://127.0.0.1:${proxy.port}` } })).toBeGreaterThanOrEqual(1);
    expect(await callThrough({ env: { http_proxy: `127.0.0.1:${proxy.port}` } })).toBeGreaterThanOrEqual(1);
    expect(await callThrough({ env: { HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: 'localhost,127.0.0.1' } })).toBe(0);
    // HTTPS_PROXY is for https URLs: an http API goes direct.
    expect(await callThrough({ env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` } })).toBe(0);
    expect(await callThrough({ env: {} })).toBe(0);
  });

  it('says which proxy failed when it is not there', async () => {
    const transport = new HttpTransport(() => ({ configured: 'http://127.0.0.1:9', env: {} }));
    const api = new Border0Api({ baseUrl: standin.apiUrl, getToken: () => 'x.y.z', authHeader: 'x-access-token', transport, log: new LogStore().logger('api') });
    await expect(api.listSockets()).rejects.toThrow(new RegExp(`^cannot reach 127\\.0\\.0\\.1:\\d+ through proxy 127\\.0\\.0\\.1:9: connect ECONNREFUSED 127\\.0\\.0\\.1:9$`));
    await api.close();
  });
});
