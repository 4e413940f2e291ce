import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { startHost, type TestHost } from '../test-support/host-process';

// The automation API as scripts and attackers see it: JSON-RPC 2.0 on /api, token required,
// cross-origin pages refused, every parameter validated with the bad field named.
let host: TestHost;
test.beforeAll(async () => {
  host = await startHost({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
});
test.afterAll(async () => {
  await host?.stop();
});

function open(path: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

async function call(ws: WebSocket, method: string, params: unknown, id = 1) {
  const answer = new Promise<Record<string, unknown>>((resolve) => {
    const onMsg = (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString());
      if (m.id === id) {
        ws.off('message', onMsg);
        resolve(m);
      }
    };
    ws.on('message', onMsg);
  });
  ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  return answer;
}

test('refuses a WebSocket without the token, with a wrong one, and from another origin', async () => {
  await expect(open('/api')).rejects.toThrow('HTTP 401');
  await expect(open('/api?token=wrong')).rejects.toThrow('HTTP 401');
  await expect(open(`/api?token=${host.token}`, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  const ok = await open(`/api?token=${host.token}`, { Origin: `http://127.0.0.1:${host.port}` });
  ok.close();
  // Plain GET tells the page whether its token is still good.
  const probe = async (t: string) => (await fetch(`http://127.0.0.1:${host.port}/api?token=${t}`)).status;
  expect(await probe('wrong')).toBe(401);
  expect(await probe(host.token)).toBe(426);
});

test('answers JSON-RPC, describes itself, and names the bad field without changing state', async () => {
  const ws = await open(`/api?token=${host.token}`);
  const discover = await call(ws, 'rpc.discover', {});
  const names = (discover.result as { methods: { name: string }[] }).methods.map((m) => m.name);
  expect(names).toEqual(expect.arrayContaining(['labs.list', 'publications.list', 'publications.add', 'publications.remove', 'tunnels.list', 'providers.list', 'providers.configure', 'logs.query']));
  expect((discover.result as { events: string[] }).events).toEqual(expect.arrayContaining(['labs.changed', 'tunnels.changed', 'logs.appended']));

  const bad = await call(ws, 'publications.add', { lab: 'l', node: 'n', port: 'twenty-two', type: 'tcp' }, 2);
  expect(bad.error).toMatchObject({ code: -32602, data: { code: 'invalid_params', field: 'port' } });
  const badType = await call(ws, 'publications.add', { lab: 'l', node: 'n', port: 22, type: 'ftp' }, 3);
  expect(badType.error).toMatchObject({ data: { field: 'type' } });
  const list = await call(ws, 'publications.list', {}, 4);
  expect(list.result).toEqual([]);
  const unknown = await call(ws, 'nope.nope', {}, 5);
  expect(unknown.error).toMatchObject({ code: -32601 });
  ws.close();
});

test('says Docker is unreachable and what to do', async () => {
  const ws = await open(`/api?token=${host.token}`);
  const hosts = await call(ws, 'hosts.list', {});
  expect(hosts.result).toEqual([expect.objectContaining({ id: 'local', state: 'unreachable', error: expect.stringMatching(/nonexistent/), hint: expect.any(String) })]);
  ws.close();
});

test('serves the UI with a strict CSP', async ({ request }) => {
  const res = await request.get(`http://127.0.0.1:${host.port}/`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-security-policy']).toMatch(/^default-src 'none'/);
  const traversal = await request.get(`http://127.0.0.1:${host.port}/..%2f..%2fpackage.json`);
  expect([403, 404]).toContain(traversal.status());
});
