import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { METHOD_NAMES } from '../../shared/contract';
import { DEFAULT_LIMITS } from './host-limits';
import { assertAnswersPing, openApi, rawExchange, startChildHost, type ChildHost } from './test-support/child-host';

// Fuzz of the host's two surfaces, against the real core and host server in a process of their
// own: after every case the host must still answer rpc.discover on a new connection, and a
// client connected before the case must still be open. A case that ends the process fails with
// its output; the next case starts a new host, so fast-check can shrink to the input that did it.

let host: ChildHost;
let observer: WebSocket;

async function ensureHost(): Promise<void> {
  if (host && !host.exit()) return;
  await host?.stop();
  host = await startChildHost();
  observer = await openApi(host.port, host.token);
}

beforeAll(ensureHost);
afterAll(async () => {
  observer?.close();
  await host?.stop();
});

async function stillServing(): Promise<void> {
  await assertAnswersPing(host);
  expect(observer.readyState, 'a client connected before the case was closed by it').toBe(WebSocket.OPEN);
}

// Methods that act outside the host when their parameters happen to validate (log in to
// border0, dial an SSH host, read or write a file the caller names) are left out: random
// parameters almost never validate, and when they did the test would reach beyond 127.0.0.1.
const OUTSIDE = new Set(['accounts.login', 'accounts.loginPassword', 'accounts.loginMfa', 'accounts.importToken', 'accounts.exportToken', 'hosts.add', 'hosts.trustHostKey', 'providers.configure', 'providers.trustHostKey', 'topology.open', 'topology.saveToFile']);
const methodArb = fc.oneof(fc.constantFrom(...METHOD_NAMES.filter((m) => !OUTSIDE.has(m))), fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'rpc.discover.', ''));
const idArb = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null), fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }));
const paramsArb = fc.oneof(fc.constant(undefined), fc.constant({}), fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom('limit', 'level', 'text', 'id', 'tunnelId', 'host', 'lab', 'node', 'port', '__proto__'), fc.jsonValue({ maxDepth: 2 })));
const requestArb = fc
  .record({ jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('2.0'), fc.jsonValue({ maxDepth: 1 })), id: idArb, method: fc.oneof(methodArb, methodArb, fc.jsonValue({ maxDepth: 1 })), params: paramsArb }, { requiredKeys: [] })
  .map((r) => JSON.stringify(r));

type Frame = { kind: string; data: string | Buffer; binary?: boolean; closes?: number };
/** Counterexamples name the frame and show its start, not a megabyte of it. */
const shown = (f: Frame): Frame => Object.assign(f, { [fc.toStringMethod]: () => `${f.kind} (${f.data.length} bytes${f.binary ? ', binary' : ''}): ${Buffer.isBuffer(f.data) ? f.data.subarray(0, 120).toString('hex') : JSON.stringify(f.data.slice(0, 120))}` });
const deep = (n: number, open: string, close: string) => `{"jsonrpc":"2.0","id":"deep","method":"logs.query","params":{"text":${open.repeat(n)}${close.repeat(n)}}}`;
const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 6, arbitrary: requestArb.map((data) => ({ kind: 'request', data })) },
  { weight: 2, arbitrary: fc.array(requestArb, { maxLength: 5 }).map((rs) => ({ kind: 'batch', data: `[${rs.join(',')}]` })) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => ({ kind: 'json', data: JSON.stringify(v) ?? 'null' })) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((data) => ({ kind: 'text', data })) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ kind: 'binary', data: Buffer.from(b), binary: true })) },
  // Bytes sent as a text frame: invalid UTF-8 closes that client with 1007, and only it.
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ kind: 'bytes-as-text', data: Buffer.from(b), closes: isUtf8(b) ? undefined : 1007 })) },
  // Nesting as deep as a frame under the size limit allows (6 bytes a level for objects).
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1000, max: 170_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'])).map(([n, [o, c]]) => ({ kind: `deep ${n}`, data: deep(n, o, c) })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 64 * 1024 }).map((extra) => ({ kind: 'oversize', data: 'x'.repeat(DEFAULT_LIMITS.maxFrameBytes + extra), closes: 1009 })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 1000 }).map((less) => ({ kind: 'huge', data: JSON.stringify({ jsonrpc: '2.0', id: 'huge', method: 'logs.query', params: { text: 'y'.repeat(DEFAULT_LIMITS.maxFrameBytes - 100 - less) } }) })) },
).map(shown);

/** A JSON-RPC 2.0 answer or notification, as a client may rely on it. */
function checkMessage(text: string): void {
  const m = JSON.parse(text) as Record<string, unknown>;
  expect(m.jsonrpc).toBe('2.0');
  if ('method' in m) return; // an event
  expect(m.id === null || typeof m.id === 'string' || typeof m.id === 'number', `id ${JSON.stringify(m.id)}`).toBe(true);
  expect('result' in m !== 'error' in m, text.slice(0, 300)).toBe(true);
  if (m.error) expect(Number.isInteger((m.error as { code: unknown }).code)).toBe(true);
}

describe('fuzz: the JSON-RPC surface', () => {
  it('every frame, batch and byte sequence costs at most its own connection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { minLength: 1, maxLength: 3 }), async (frames) => {
        await ensureHost();
        const ws = await openApi(host.port, host.token);
        const messages: string[] = [];
        ws.on('message', (d) => messages.push(d.toString()));
        ws.on('error', () => {});
        const closed = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
        for (const f of frames) ws.send(f.data, { binary: !!f.binary });
        // The last word: an answer to this, or the close the frames caused.
        const end = await Promise.race([
          closed,
          new Promise<'answered'>((resolve) => {
            ws.on('message', (d) => d.toString().includes('"id":"last"') && resolve('answered'));
            ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'tunnels.list', params: {} }));
          }),
        ]);
        // 1006: the host closed while this client was still writing the rest of a big frame.
        const allowed = frames.flatMap((f) => (f.closes ? [f.closes, 1006] : []));
        if (end !== 'answered') expect(allowed, `closed with ${end} by ${frames.map((f) => f.kind).join(', ')}`).toContain(end);
        for (const m of messages) checkMessage(m);
        ws.close();
        await stillServing();
      }),
      { numRuns: 150, interruptAfterTimeLimit: 40_000 },
    );
  }, 60_000);
});

const GOOD = () => host.token;
const tokenArb = fc.oneof(fc.constant(GOOD), fc.constant(() => ''), fc.string({ maxLength: 40 }).map((s) => () => encodeURIComponent(s)), fc.constant(() => `${host.token}%00`));
const segmentArb = fc.oneof(fc.constantFrom('', '.', '..', '%2e%2e', '%2f', '%00', '%', '%zz', 'index.html', 'api', 'assets', '%c0%ae', '\\', '..%5c'), fc.string({ maxLength: 12 }).map(encodeURIComponent), fc.string({ unit: 'binary', maxLength: 6 }));
const pathArb = fc.oneof(
  { weight: 5, arbitrary: fc.array(segmentArb, { maxLength: 6 }).map((s) => `/${s.join('/')}`) },
  { weight: 1, arbitrary: fc.constantFrom('//', '///x', '//api', '*', 'http://127.0.0.1/', '/api', '/') },
  { weight: 1, arbitrary: fc.integer({ min: 2000, max: 20_000 }).map((n) => `/${'a'.repeat(n)}`) },
);
const headerArb = fc.dictionary(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/).filter((k) => !/^(host|content-length|transfer-encoding|connection|upgrade)$/i.test(k)),
  fc.oneof(fc.stringMatching(/^[ -~]{0,40}$/), fc.integer({ min: 1, max: 20_000 }).map((n) => 'v'.repeat(n))),
  { maxKeys: 4 },
);
const httpCaseArb = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH'), fc.stringMatching(/^[A-Z]{1,10}$/)),
  path: pathArb,
  query: fc.option(tokenArb),
  upgrade: fc.boolean(),
  origin: fc.option(fc.constantFrom('self', 'http://evil.example', 'null', 'file://', '')),
  headers: headerArb,
  reset: fc.boolean(),
});

describe('fuzz: the HTTP surface', () => {
  it('every path, method, header set and upgrade is answered or refused, never fatal', async () => {
    await fc.assert(
      fc.asyncProperty(httpCaseArb, async (c) => {
        await ensureHost();
        const target = c.query ? `${c.path}${c.path.includes('?') ? '&' : '?'}token=${c.query()}` : c.path;
        const lines = [`${c.method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${host.port}`, ...Object.entries(c.headers).map(([k, v]) => `${k}: ${v}`)];
        if (c.origin !== null) lines.push(`Origin: ${c.origin === 'self' ? `http://127.0.0.1:${host.port}` : c.origin}`);
        if (c.upgrade) lines.push('Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
        const answer = await rawExchange(host.port, `${lines.join('\r\n')}\r\n\r\n`, { reset: c.reset, idleMs: 1_000 });
        // Never an internal error; always an answer unless the client reset first or asked for
        // CONNECT (Node closes that without one: the host is no proxy).
        expect(answer.status, target.slice(0, 200)).not.toMatch(/^HTTP\/1\.1 5/);
        if (!c.reset && c.method !== 'CONNECT') expect(answer.status, `${c.method} ${target.slice(0, 200)}`).toMatch(/^HTTP\/1\.1 \d{3} /);
        await stillServing();
      }),
      { numRuns: 300, interruptAfterTimeLimit: 40_000 },
    );
  }, 60_000);
});
