import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertAnswersPing, openApi, rawExchange, request, startChildHost, upgradeRequest, type ChildHost } from './test-support/child-host';

// Issue 10: each input below stopped the headless host (and with it every tunnel). The host
// runs in its own process without the CLI's last-resort handler, so a handler that lets an
// error escape ends that process and the ping after the case fails.

let host: ChildHost;
// A case that stops the host must fail alone: the next one gets a fresh host.
beforeEach(async () => {
  if (host && (await assertAnswersPing(host).then(() => true, () => false))) return;
  await host?.stop();
  host = await startChildHost();
});
afterAll(async () => {
  await host?.stop();
});

const get = (target: string) => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

describe('without a token', () => {
  it('refuses a request for // with 400 and keeps serving', async () => {
    expect((await rawExchange(host.port, get('//'))).status).toBe('HTTP/1.1 400 Bad Request');
    expect((await rawExchange(host.port, get('//api?token=x'))).status).toBe('HTTP/1.1 400 Bad Request');
    await assertAnswersPing(host);
  });

  it('refuses a path with %00 with 400 and keeps serving', async () => {
    for (const target of ['/a%00b', '/%00', '/index.html%00.js', '/api%00']) {
      const answer = await rawExchange(host.port, get(target));
      expect(answer.status, target).toBe('HTTP/1.1 400 Bad Request');
      expect(answer.text, target).toMatch(/NUL/);
    }
    await assertAnswersPing(host);
  });

  it('refuses WebSocket upgrades for // and for a path with %00', async () => {
    for (const target of ['//', '//api', '/api%00?token=x', `/api?token=${host.token}%00`]) {
      expect((await rawExchange(host.port, upgradeRequest(target))).status, target).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    await assertAnswersPing(host);
  });

  it('survives clients that reset the connection right after a refused upgrade', async () => {
    const refused = [upgradeRequest('/api?token=bad'), upgradeRequest('/elsewhere'), upgradeRequest(`/api?token=${host.token}`, { Origin: 'http://evil.example' }), upgradeRequest('//')];
    for (let i = 0; i < 20; i++) await Promise.all(refused.map((r) => rawExchange(host.port, r, { reset: true, idleMs: 200 })));
    await assertAnswersPing(host);
  });
});

describe('with a token', () => {
  for (const [what, frame, code] of [
    ['a frame over the size limit', 'x'.repeat(1024 * 1024 + 1), 1009],
    ['a frame with invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 1007],
  ] as const) {
    it(`closes only the client that sent ${what} (${code}); the others carry on`, async () => {
      const other = await openApi(host.port, host.token);
      const bad = await openApi(host.port, host.token);
      bad.on('error', () => {});
      const closed = new Promise<number>((resolve) => bad.once('close', (c) => resolve(c)));
      bad.send(frame, { binary: false });
      expect(await closed).toBe(code);
      const answer = await request(other, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'publications.list', params: {} }), 7);
      expect(answer.result).toEqual([]);
      other.close();
      await assertAnswersPing(host);
    });
  }

  it('answers request ids that are not a string, number or null as invalid, with id null', async () => {
    const ws = await openApi(host.port, host.token);
    for (const id of [{ a: 1 }, [1, 2], true, { toString: 'x' }]) {
      const frame = JSON.stringify({ jsonrpc: '2.0', id, method: 'rpc.discover', params: {} });
      const answer = await request(ws, frame, null);
      expect(answer, frame).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringMatching(/id must be a string, a number or null/) } });
    }
    // An invalid request never echoes a foreign id either.
    const answer = await request(ws, JSON.stringify({ id: { evil: 'x'.repeat(1000) }, method: 3 }), null);
    expect(answer.error).toMatchObject({ code: -32600 });
    ws.close();
  });

  it('refuses a batch with one clear error instead of running it', async () => {
    const ws = await openApi(host.port, host.token);
    const answer = await request(ws, JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'rpc.discover' }]), null);
    expect(answer.error).toMatchObject({ code: -32600, message: expect.stringMatching(/batch/) });
    ws.close();
  });
});

describe('client cap', () => {
  let capped: ChildHost;
  beforeAll(async () => {
    capped = await startChildHost({ limits: { maxClients: 3 } });
  });
  afterAll(async () => {
    await capped?.stop();
  });

  it('closes a client over the cap with 1013 and says why; a place freed is usable again', async () => {
    const first = await Promise.all([1, 2, 3].map(() => openApi(capped.port, capped.token)));
    const extra = await openApi(capped.port, capped.token);
    const [code, reason] = await new Promise<[number, string]>((resolve) => extra.once('close', (c, r) => resolve([c, r.toString()])));
    expect(code).toBe(1013);
    expect(reason).toMatch(/too many clients \(3\)/);
    // The three keep working.
    const answer = await request(first[0], JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'publications.list', params: {} }), 1);
    expect(answer.result).toEqual([]);
    await new Promise<void>((resolve) => {
      first[2].once('close', () => resolve());
      first[2].close();
    });
    await assertAnswersPing(capped);
    for (const ws of first.slice(0, 2)) ws.close();
  });
});

describe('corrupt secrets file', () => {
  it('starts signed out, keeps the corrupt file aside and names it', async () => {
    const h = await startChildHost({ dataFiles: { 'secrets.json': '{"border0.token": "abc' } });
    try {
      await assertAnswersPing(h);
      const ws = await openApi(h.port, h.token);
      const accounts = await request(ws, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'accounts.list', params: {} }), 1);
      expect(accounts.result).toEqual([expect.objectContaining({ provider: 'border0', loggedIn: false })]);
      const logs = await request(ws, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'logs.query', params: { level: 'error' } }), 2);
      const dataDir = path.join(h.dataDir, 'data');
      const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith('secrets.json.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(fs.readFileSync(path.join(dataDir, aside[0]), 'utf8')).toBe('{"border0.token": "abc');
      expect(JSON.stringify(logs.result)).toContain(path.join(dataDir, 'secrets.json'));
      ws.close();
    } finally {
      await h.stop();
    }
  });
});

describe('host token from the environment', () => {
  /** Runs `clab-publisher serve` with `token` as CLAB_PUBLISHER_TOKEN until it exits or listens. */
  async function serveWith(token: string): Promise<{ code: number | null; listened: boolean; output: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-host-token-'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'cli.ts'), 'serve', '--port', '0', '--data-dir', path.join(dir, 'data')], {
      env: { PATH: process.env.PATH, HOME: dir, DOCKER_HOST: 'unix:///nonexistent/clab-publisher-test.sock', CLAB_PUBLISHER_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const listened = new Promise<boolean>((resolve) => {
      for (const s of [child.stdout!, child.stderr!])
        s.on('data', (d: Buffer) => {
          output += d.toString();
          if (/open http:/.test(output)) resolve(true);
        });
      child.once('exit', () => resolve(false));
    });
    const didListen = await listened;
    if (didListen) child.kill('SIGTERM');
    const code = child.exitCode ?? (await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c))));
    fs.rmSync(dir, { recursive: true, force: true });
    return { code, listened: didListen, output };
  }

  it('refuses to start with a short or guessable token, says why and never prints it', async () => {
    for (const token of ['secret', 'a'.repeat(40), 'abababababababababababababababab']) {
      const r = await serveWith(token);
      expect(r.listened, token).toBe(false);
      expect(r.code, token).toBe(2);
      expect(r.output, token).toMatch(/CLAB_PUBLISHER_TOKEN .*at least 32/);
      expect(r.output, token).not.toContain(token);
    }
  });

  it('serves with a random token of 32 characters', async () => {
    const r = await serveWith(randomBytes(24).toString('base64url'));
    expect(r.listened).toBe(true);
  });
});
