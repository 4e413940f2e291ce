import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Lab } from '../../shared/model';
import { createCore } from '../core/app-core';
import type { Core } from '../core/app-core-types';
import { startHostServer, type HostServer } from './host-server';
import { assertAnswersPing, request } from './test-support/child-host';

// A client that reads slowly (or not at all) must not make the host buffer without bound:
// latest-state events are coalesced while its socket is backed up, and a client stuck past
// the limit is closed with a reason. The real core and host server, in this process; the
// events are the core's own emitter's, fed large payloads so that loopback buffers fill.

const HIGH_WATER = 64 * 1024;
const STUCK_MS = 400;
let dir: string;
let core: Core;
let server: HostServer;
const said: string[] = [];
const sayListeners = new Set<(line: string) => void>();
/** Resolves with the first line the host says (now or later) that matches `re`. */
const hostSays = (re: RegExp) =>
  new Promise<string>((resolve) => {
    const seen = said.find((l) => re.test(l));
    if (seen) return resolve(seen);
    const l = (line: string) => re.test(line) && (sayListeners.delete(l), resolve(line));
    sayListeners.add(l);
  });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-slow-readers-'));
  core = createCore({ dataDir: dir, dockerHost: 'unix:///nonexistent/clab-publisher-test.sock', env: {} });
  await core.start();
  server = await startHostServer({
    core,
    host: '127.0.0.1',
    port: 0,
    staticDir: dir,
    limits: { sendHighWaterBytes: HIGH_WATER, stuckMs: STUCK_MS },
    log: (line) => {
      said.push(line);
      for (const l of [...sayListeners]) l(line);
    },
  });
});
afterAll(async () => {
  await server?.close();
  await core?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An API client whose TCP socket the test can pause, as a reader that stopped reading. */
async function pausableClient(): Promise<{ ws: WebSocket; socket: net.Socket; labs: number[] }> {
  let socket!: net.Socket;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
    createConnection: ((o: net.NetConnectOpts) => (socket = net.connect(o))) as typeof net.createConnection,
  });
  const labs: number[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as { method?: string; params?: { seq: number }[] };
    if (m.method === 'labs.changed') labs.push(m.params![0].seq);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, socket, labs };
}

/** A `labs.changed` snapshot of about 100 KB whose first lab carries `seq`. */
const bigLabs = (seq: number) => [{ seq, name: 'x'.repeat(100_000) }] as unknown as Lab[];

describe('slow readers', () => {
  it('get the latest state of each event, coalesced, and lose none of it', async () => {
    const slow = await pausableClient();
    slow.socket.pause();
    const N = 300;
    for (let seq = 0; seq < N; seq++) core.events.emit('labs.changed', bigLabs(seq));
    slow.socket.resume();
    await new Promise<void>((resolve) => {
      const check = () => slow.labs.at(-1) === N - 1 && resolve();
      slow.ws.on('message', check);
      check();
    });
    // In order, ending with the latest, and far fewer than were emitted (30 MB would otherwise
    // have been queued in the host for this one client).
    expect(slow.labs).toEqual([...slow.labs].sort((a, b) => a - b));
    expect(slow.labs.length).toBeLessThan(N / 2);
    slow.ws.close();
  });

  it('a client stuck over the limit is closed with a reason; the others carry on', async () => {
    const reader = await pausableClient();
    const stuck = await pausableClient();
    stuck.ws.on('error', () => {});
    const closed = new Promise<[number, string]>((resolve) => stuck.ws.once('close', (c, r) => resolve([c, r.toString()])));
    stuck.socket.pause();
    // Keep the state changing until the host gives up on the stuck client.
    let seq = 1000;
    const feed = setInterval(() => core.events.emit('labs.changed', bigLabs(seq++)), 20);
    const line = await hostSays(/too slow/).finally(() => clearInterval(feed));
    expect(line).toMatch(/closed an API client that read too slowly: .* for \d+ ms/);
    stuck.socket.resume();
    // The reason arrives when the client reads it before the host cuts the connection.
    const [code, reason] = await closed;
    if (code === 1008) expect(reason).toMatch(/^too slow: .* unread for .*; reconnect/);
    else expect(code).toBe(1006);
    // The reader got the latest state and still answers.
    const last = seq - 1;
    core.events.emit('labs.changed', bigLabs(last + 1));
    await new Promise<void>((resolve) => {
      const check = () => reader.labs.at(-1) === last + 1 && resolve();
      reader.ws.on('message', check);
      check();
    });
    const answer = await request(reader.ws, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'publications.list', params: {} }), 1);
    expect(answer.result).toEqual([]);
    reader.ws.close();
    await assertAnswersPing(server);
  });
});
