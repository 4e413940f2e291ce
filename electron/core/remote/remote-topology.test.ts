/**
 * Topology files that live on a remote lab host: read over its SSH connection (SFTP), watched
 * by a periodic stat, and written back there (temporary file + posix-rename, with a backup).
 * The host is this machine behind a loopback sshd; the sftp server's own log shows the file
 * operations really went through SFTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type TestLab } from '../../../test-support/lab-containers';
import { LabsService } from '../labs/labs-service';
import { LabSettingsStore } from '../lab-topology/lab-settings';
import { describeLoadError, loadLocalTopology } from '../lab-topology/topology-loading';
import { TopologyService } from '../lab-topology/topology-service';
import { LogStore } from '../logs/log-store';
import { LocalProvider } from '../providers/local-provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { HostKeyStore } from '../ssh/host-key-store';
import { PublicationService } from '../publications/publication-service';
import { SettingsStore } from '../settings/settings-store';
import { waitFor } from '../../../test-support/wait-for';
import { RemoteLabHost } from './remote-lab-host';
import { giveToLabHostUser, LAB_HOST_USER, sftpLogSince, startLabHostSshd, stopLabHostSshd, type LabHostSshd } from '../../../test-support/lab-host-sshd';

const LAB = `rtp${process.pid}`;
const topo = (n1: string) => `name: ${LAB}\ntopology:\n  nodes:\n    n1:\n      kind: linux\n      publish: ${n1}\n    n2:\n      kind: linux\n`;

let sshd: LabHostSshd;
let lab: TestLab | undefined;
let dir: string;
let settingsDir: string;
let file: string;
let logs: LogStore;
let host: RemoteLabHost;
let labs: LabsService;
let providers: ProviderRegistry;
let pubs: PublicationService;
let svc: TopologyService;

beforeAll(async () => {
  sshd = await startLabHostSshd();
  // The lab's folder belongs to the host's user, as a containerlab user's labs do.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-topo-'));
  file = path.join(dir, `${LAB}.clab.yml`);
  fs.writeFileSync(file, topo('[tcp/7, http/80]'));
  fs.chmodSync(file, 0o640);
  await giveToLabHostUser(dir);
  settingsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-topo-settings-'));
  const settings = new SettingsStore(settingsDir);
  const keys = new HostKeyStore(settings);
  keys.trust('127.0.0.1', sshd.port, { algorithm: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint });
  logs = new LogStore();
  host = new RemoteLabHost({
    config: { id: 'lab2', label: 'loopback', url: sshd.url, keyFile: sshd.clientKeyPath, useAgent: false },
    hostKeys: keys,
    log: logs.logger('host.lab2'),
    filePollMs: 200,
  });
  // Only the remote host: this computer would read the same file directly.
  labs = new LabsService([{ source: host, dialer: host.dialer, files: host.files }]);
  providers = new ProviderRegistry([new LocalProvider({ settings, log: logs.logger('p') })]);
  await providers.start();
  pubs = new PublicationService({ settings, providers, labs, log: logs.logger('pubs') });
  await pubs.start();
  svc = new TopologyService({
    labs,
    publications: pubs,
    labSettings: new LabSettingsStore(settings),
    load: loadLocalTopology,
    describe: describeLoadError,
    log: logs.logger('topology'),
    files: (h) => labs.filesFor(h),
  });
  await labs.start();
  await svc.start();
});
afterAll(async () => {
  svc?.dispose();
  await labs?.dispose();
  await providers?.dispose();
  logs?.dispose();
  await lab?.remove();
  await stopLabHostSshd(sshd);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(settingsDir, { recursive: true, force: true });
});

const mine = () => pubs.list().filter((p) => p.host === 'lab2' && p.lab === LAB).map((p) => `${p.node}:${p.type}/${p.port}@${p.source?.line ?? 'ui'}`).sort();
const until = (what: string, pred: () => boolean) => waitFor((l) => svc.onChanged(l), () => pred() || undefined, `${what}; now ${mine().join()}`, 20_000);

describe('topology files on a remote lab host', () => {
  it('reads the file named by the clab-topo-file label over SFTP and publishes its entries', async () => {
    const logStart = fs.statSync(sshd.sftpLog).size;
    // Deployed on the lab host by its user, the one the app logs in as.
    lab = await startLab({ lab: LAB, topoFile: file, owner: LAB_HOST_USER, nodes: [{ name: 'n1' }, { name: 'n2' }] });
    await until('the entries published for the remote host', () => mine().length === 2);
    expect(mine()).toEqual(['n1:http/80@6', 'n1:tcp/7@6']);
    expect(svc.stateOf('lab2', LAB)).toMatchObject({ host: 'lab2', file, fileSource: 'label', deployed: true });
    expect(pubs.list().find((p) => p.host === 'lab2' && p.port === 7)?.source?.file).toBe(file);
    expect(sftpLogSince(sshd, logStart)).toContain(`open "${file}" flags READ`);
  });

  it('notices an edit with its periodic stat and follows it', async () => {
    fs.writeFileSync(file, topo('\n        - tcp/7\n        - tcp/8080'));
    await until('8080 instead of 80', () => mine().join() === 'n1:tcp/7@7,n1:tcp/8080@8');
  });

  it('saves a UI publication into the remote file: atomic, with a backup, owner and mode kept', async () => {
    const owner = fs.statSync(file).uid;
    const before = fs.readFileSync(file, 'utf8');
    const logStart = fs.statSync(sshd.sftpLog).size;
    const pub = pubs.add({ host: 'lab2', lab: LAB, node: 'n2', port: 80, type: 'http', provider: 'local', access: [] });
    const saved = await svc.saveToFile(pub.id);
    expect(saved).toEqual({ file, line: 12, backupFile: `${file}.bak` });
    expect(fs.readFileSync(file, 'utf8')).toBe(`${before}      publish:\n        - http/80\n`);
    expect(fs.readFileSync(`${file}.bak`, 'utf8')).toBe(before);
    for (const f of [file, `${file}.bak`]) {
      expect(fs.statSync(f).uid).toBe(owner);
      expect(fs.statSync(f).mode & 0o777).toBe(0o640);
    }
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(sftpLogSince(sshd, logStart)).toMatch(/posix-rename old "[^"]+\.tmp" new "[^"]+\.clab\.yml"/);
    expect(pubs.get(pub.id)).toMatchObject({ origin: 'topology', source: { file, line: 12 } });
    await until('the saved entry read back', () => mine().includes('n2:http/80@12'));
  });

  it('reports an unreadable remote file as the lab\'s problem, and does not unpublish', async () => {
    fs.chmodSync(file, 0o600);
    fs.chownSync(file, 0, 0); // root's now: the host's user may not read it
    fs.appendFileSync(file, '# touched\n');
    await until('the read problem', () => svc.stateOf('lab2', LAB)?.problem?.kind === 'read');
    expect(svc.stateOf('lab2', LAB)?.problem?.message).toMatch(/permission denied/);
    expect(mine()).toContain('n1:tcp/7@7');
  });
});
