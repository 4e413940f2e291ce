import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { utils } from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lab, LabHostStatus } from '../../../shared/model';
import { AppError } from '../../../shared/rpc-errors';
import type { LabSource } from '../labs/lab-source';
import { LabsService } from '../labs/labs-service';
import { LogStore } from '../logs/log-store';
import { SettingsStore } from '../settings/settings-store';
import { DirectDialer } from '../labs/dialer';
import { LabHostManager } from './lab-host-manager';

/** This computer, always connected, no labs: the host the remote ones must not disturb. */
const localSource: LabSource = {
  hostId: 'local',
  labs: (): Lab[] => [],
  status: (): LabHostStatus => ({ id: 'local', label: 'This computer', kind: 'local', state: 'connected' }),
  onChanged: () => () => undefined,
  start: async () => undefined,
  dispose: async () => undefined,
};

let dir: string;
let settings: SettingsStore;
let labs: LabsService;
let manager: LabHostManager;
let logs: LogStore;
let keyFile: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-manager-'));
  keyFile = path.join(dir, 'id_test');
  fs.writeFileSync(keyFile, utils.generateKeyPairSync('ed25519').private);
  settings = new SettingsStore(dir);
  logs = new LogStore();
  labs = new LabsService([{ source: localSource, dialer: new DirectDialer() }]);
  manager = new LabHostManager({ settings, labs, log: logs.logger('hosts'), tuning: { retry: { initialMs: 5000, maxMs: 5000 } } });
  await labs.start();
});
afterEach(async () => {
  await labs.dispose();
  logs.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);

describe('LabHostManager.add', () => {
  it('refuses what cannot work before saving anything', async () => {
    expect(await refusal(manager.add({ url: 'ssh://a@h:99999', useAgent: false, keyFile }))).toMatchObject({ code: 'invalid_params', field: 'url' });
    expect(await refusal(manager.add({ url: 'ssh://a@h', useAgent: false }))).toMatchObject({ code: 'invalid_params', field: 'keyFile' });
    expect(await refusal(manager.add({ url: 'ssh://a@h', useAgent: false, keyFile: path.join(dir, 'missing') }))).toMatchObject({ code: 'invalid_params', message: expect.stringContaining('ENOENT') });
    const locked = path.join(dir, 'id_locked');
    fs.writeFileSync(locked, utils.generateKeyPairSync('ed25519', { passphrase: 'secret', cipher: 'aes256-ctr', rounds: 16 }).private);
    expect(await refusal(manager.add({ url: 'ssh://a@h', useAgent: false, keyFile: locked }))).toMatchObject({ code: 'invalid_params', field: 'keyFile', hint: expect.stringContaining('ssh-agent') });
    const agent = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      expect(await refusal(manager.add({ url: 'ssh://a@h', useAgent: true }))).toMatchObject({ code: 'invalid_params', field: 'useAgent' });
    } finally {
      if (agent !== undefined) process.env.SSH_AUTH_SOCK = agent;
    }
    expect(settings.get('labHosts', [])).toEqual([]);
    expect(labs.hosts().map((h) => h.id)).toEqual(['local']);
  });

  it('saves an unreachable host, answers with why and when it retries, and leaves this computer alone', async () => {
    const port = await closedPort();
    const before = Date.now();
    const st = await manager.add({ url: `ssh://alice@127.0.0.1:${port}`, label: 'down', useAgent: false, keyFile });
    expect(st).toMatchObject({ id: `127.0.0.1-${port}`, label: 'down', kind: 'ssh', address: `ssh://alice@127.0.0.1:${port}`, state: 'unreachable', hostKey: { state: 'none' } });
    expect(st.error).toContain('ECONNREFUSED');
    expect(st.hint).toMatch(/sshd/);
    expect(st.nextRetryAt).toBeGreaterThanOrEqual(before + 4000);
    expect(settings.get('labHosts', [])).toEqual([{ id: st.id, label: 'down', url: `ssh://alice@127.0.0.1:${port}`, keyFile, useAgent: false }]);
    expect(labs.hosts().map((h) => [h.id, h.state])).toEqual([['local', 'connected'], [st.id, 'unreachable']]);
    expect(labs.dialerFor(st.id)).toBeDefined();
    await expect(labs.dialerFor(st.id)!.dial('10.0.0.1', 22)).rejects.toThrow(/lab host down is not connected: cannot reach 127\.0\.0\.1/);
    expect(await refusal(manager.add({ url: `ssh://alice@127.0.0.1:${port}`, useAgent: false, keyFile }))).toMatchObject({ code: 'conflict' });
  });

  it('comes back from settings in a new manager, known to the LabsService at once', async () => {
    const port = await closedPort();
    const st = await manager.add({ url: `ssh://alice@127.0.0.1:${port}`, useAgent: false, keyFile });
    const labs2 = new LabsService([{ source: localSource, dialer: new DirectDialer() }]);
    new LabHostManager({ settings: new SettingsStore(dir), labs: labs2, log: logs.logger('hosts') });
    // Before anything started: the reconciler's first pass finds the host and its dialer.
    expect(labs2.hosts().map((h) => [h.id, h.state])).toEqual([['local', 'connected'], [st.id, 'connecting']]);
    expect(labs2.dialerFor(st.id)).toBeDefined();
    await labs2.dispose();
  });
});

describe('LabHostManager.remove', () => {
  it('forgets the host and its dialer refuses, saying why; this computer cannot be removed', async () => {
    const port = await closedPort();
    const st = await manager.add({ url: `ssh://alice@127.0.0.1:${port}`, label: 'gone', useAgent: false, keyFile });
    const held = labs.dialerFor(st.id)!; // what a running tunnel holds
    await manager.remove(st.id);
    expect(labs.hosts().map((h) => h.id)).toEqual(['local']);
    expect(labs.dialerFor(st.id)).toBeUndefined();
    expect(settings.get('labHosts', [])).toEqual([]);
    await expect(held.dial('10.0.0.1', 22)).rejects.toThrow(`lab host gone (${st.id}) was removed`);
    expect(await refusal(manager.remove(st.id))).toMatchObject({ code: 'not_found' });
    expect(await refusal(manager.remove('local'))).toMatchObject({ code: 'refused' });
  });
});
