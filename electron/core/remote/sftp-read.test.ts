/**
 * Reading a file a container label names on a remote lab host, over SFTP: only a regular
 * file, only up to the cap. A FIFO opened by sftp-server would hang it (one request at a
 * time) until a writer appears, and with it every later file operation on that host;
 * /dev/zero never ends. The host is this machine behind a loopback sshd.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveToLabHostUser, startLabHostSshd, stopLabHostSshd, type LabHostSshd } from '../../../test-support/lab-host-sshd';
import { waitFor } from '../../../test-support/wait-for';
import { LogStore } from '../logs/log-store';
import { SettingsStore } from '../settings/settings-store';
import { HostKeyStore } from '../ssh/host-key-store';
import { RemoteLabHost } from './remote-lab-host';

let sshd: LabHostSshd;
let dir: string;
let settingsDir: string;
let host: RemoteLabHost;

beforeAll(async () => {
  sshd = await startLabHostSshd();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sftp-read-'));
  fs.writeFileSync(path.join(dir, 'small.clab.yml'), 'name: x\n');
  fs.writeFileSync(path.join(dir, 'big.clab.yml'), 'x'.repeat(300_000));
  execFileSync('mkfifo', [path.join(dir, 'fifo.clab.yml')]);
  await giveToLabHostUser(dir);
  settingsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sftp-read-settings-'));
  const keys = new HostKeyStore(new SettingsStore(settingsDir));
  keys.trust('127.0.0.1', sshd.port, { algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint });
  host = new RemoteLabHost({
    config: { id: 'lab2', label: 'loopback', url: sshd.url, keyFile: sshd.clientKeyPath, useAgent: false },
    hostKeys: keys,
    log: new LogStore().logger('host.lab2'),
  });
  await host.start();
  await waitFor((l) => host.onChanged(l), () => host.status().state === 'connected' || undefined, 'the lab host connected', 20_000);
});

afterAll(async () => {
  await host?.dispose();
  await stopLabHostSshd(sshd);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(settingsDir, { recursive: true, force: true });
});

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: NodeJS.ErrnoException) => ({ code: err.code, message: err.message }),
  );

describe('reading a lab host file over SFTP', () => {
  it('refuses a FIFO unopened, and the host still answers the next request', async () => {
    const fifo = path.join(dir, 'fifo.clab.yml');
    expect(await refusal(host.files.readFile(fifo, 1024 * 1024))).toEqual({ code: 'ENOTREG', message: `${fifo} is a FIFO (named pipe), not a regular file` });
    expect((await host.files.readFile(path.join(dir, 'small.clab.yml'), 1024 * 1024)).toString()).toBe('name: x\n');
  });

  it('refuses /dev/zero (it never ends) and a folder', async () => {
    expect(await refusal(host.files.readFile('/dev/zero', 1024))).toMatchObject({ code: 'ENOTREG', message: '/dev/zero is a device, not a regular file' });
    expect(await refusal(host.files.readFile(dir, 1024))).toMatchObject({ code: 'ENOTREG', message: `${dir} is a folder, not a regular file` });
  });

  it('refuses a file over the cap, and reads one within it whole', async () => {
    const big = path.join(dir, 'big.clab.yml');
    expect(await refusal(host.files.readFile(big, 200_000))).toMatchObject({ code: 'EFBIG' });
    expect((await host.files.readFile(big, 300_000)).length).toBe(300_000);
  });
});
