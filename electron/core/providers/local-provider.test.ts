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
});
