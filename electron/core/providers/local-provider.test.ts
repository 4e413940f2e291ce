import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepts } from '../../../test-support/net-client';
import { LogStore } from '../logs/log-store';
import { SettingsStore } from '../settings/settings-store';
import { LocalProvider } from './local-provider';
import type { Forward, ForwardSpec, ForwardStatus } from './provider';

const spec = (over: Partial<ForwardSpec> = {}): ForwardSpec => ({ tunnelId: 't1', name: 'clab-r1-tcp-7', lab: 'lab1', node: 'r1', port: 7, type: 'tcp', access: [], ...over });

/** A port that something else holds for the whole test. */
async function occupied(): Promise<net.Server & { port: number }> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return Object.assign(srv, { port: (srv.address() as net.AddressInfo).port });
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const srv = await occupied();
  await new Promise((r) => srv.close(r));
  return srv.port;
}

describe('LocalProvider public ports', () => {
  let dir: string;
  let logs: LogStore;
  let provider: LocalProvider;
  const forwards: Forward[] = [];
  const held: net.Server[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-provider-'));
    logs = new LogStore();
    provider = new LocalProvider({ settings: new SettingsStore(dir), log: logs.logger('provider.local') });
    await provider.start();
  });
  afterEach(async () => {
    await Promise.all(forwards.splice(0).map((f) => f.close()));
    await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
    await provider.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a forward and resolves with its first settled status (online or failed). */
  const open = (s: ForwardSpec) =>
    new Promise<ForwardStatus>((resolve) => {
      forwards.push(provider.open(s, { onConnection: (sock) => sock.destroy(), onStatus: (st) => st.state !== 'connecting' && resolve(st) }));
    });

  it('listens again on the port it had before when that port is free', async () => {
    const port = await freePort();
    const st = await open(spec({ preferredPort: port }));
    expect(st).toMatchObject({ state: 'online', endpoint: { host: '127.0.0.1', port } });
    expect(await accepts('127.0.0.1', port)).toBe(true);
  });

  it('takes a free port, and says so, when the port it had before is taken', async () => {
    const other = await occupied();
    held.push(other);
    const st = await open(spec({ preferredPort: other.port }));
    expect(st.state).toBe('online');
    const port = st.state === 'online' ? st.endpoint.port : 0;
    expect(port).not.toBe(other.port);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    logs.flush();
    expect(logs.query({ limit: 100 }).map((e) => e.message)).toContain(`the port it had before (127.0.0.1:${other.port}) is taken now: listening on a free port instead, so its address changes`);
  });

  it('fails with the reason when a port the user asked for is taken (never another port)', async () => {
    const other = await occupied();
    held.push(other);
    const st = await open(spec({ publicPort: other.port, preferredPort: 1 }));
    expect(st).toEqual({ state: 'failed', reason: `port 127.0.0.1:${other.port} is already in use on this computer: choose another public port, or leave it empty to get a free one` });
  });

  /** A UDP port something else holds for the whole test. */
  const heldUdp = async (): Promise<number> => {
    const u = dgram.createSocket('udp4');
    await new Promise<void>((r) => u.bind(0, '127.0.0.1', r));
    held.push({ close: (cb: () => void) => u.close(cb) } as unknown as net.Server);
    return u.address().port;
  };
  const udpSpec = (over: Partial<ForwardSpec> = {}) => spec({ type: 'udp', name: 'clab-r1-udp-161', port: 161, ...over });

  it('udp: binds a UDP port (not a TCP listener), hands each datagram with its sender, and replies from that port', async () => {
    const got: string[] = [];
    const st = await new Promise<ForwardStatus>((resolve) => {
      forwards.push(
        provider.open(udpSpec(), {
          onConnection: (sock) => sock.destroy(),
          onDatagram: (from, data, reply) => {
            got.push(`${from} ${data.toString()}`);
            reply(Buffer.from(`re: ${data.toString()}`));
          },
          onStatus: (x) => x.state !== 'connecting' && resolve(x),
        }),
      );
    });
    expect(st.state).toBe('online');
    const port = st.state === 'online' ? st.endpoint.port : 0;
    expect(await accepts('127.0.0.1', port)).toBe(false);
    const c = dgram.createSocket('udp4');
    await new Promise<void>((r) => c.connect(port, '127.0.0.1', () => r()));
    const answer = new Promise<string>((r) => c.once('message', (m) => r(m.toString())));
    c.send('hello');
    expect(await answer).toBe('re: hello');
    expect(got).toEqual([`127.0.0.1:${c.address().port} hello`]);
    c.close();
  });

  it('udp: says the UDP port is taken, and takes a free one when only the port it had before is', async () => {
    const taken = await heldUdp();
    expect(await open(udpSpec({ publicPort: taken }))).toEqual({ state: 'failed', reason: `UDP port 127.0.0.1:${taken} is already in use on this computer: choose another public port, or leave it empty to get a free one` });
    const st = await open(udpSpec({ preferredPort: taken }));
    expect(st.state).toBe('online');
    expect(st.state === 'online' && st.endpoint.port).not.toBe(taken);
    logs.flush();
    expect(logs.query({ limit: 100 }).map((e) => e.message)).toContain(`the UDP port it had before (127.0.0.1:${taken}) is taken now: using a free port instead, so its address changes`);
  });

  it('udp: the idle timeout is a setting (60 s unless configured), given to each forward', async () => {
    expect(provider.info().settings.udpIdleSeconds).toBe(60);
    await provider.configure({ bindAddress: '127.0.0.1', udpIdleSeconds: 15 });
    expect(provider.info().settings).toEqual({ bindAddress: '127.0.0.1', udpIdleSeconds: 15 });
    const f = provider.open(udpSpec(), { onConnection: (sock) => sock.destroy(), onStatus: () => undefined });
    forwards.push(f);
    expect(f.peerIdleMs).toBe(15_000);
  });
});
