import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tunnel } from '../../../shared/model';
import { DockerProxy } from '../../../test-support/docker-proxy';
import { startLab, type TestLab } from '../../../test-support/lab-containers';
import { echoThrough } from '../../../test-support/net-client';
import { OpenStream } from '../../../test-support/net-load';
import { LocalLabSource } from '../labs/docker-lab-source';
import { LabsService } from '../labs/labs-service';
import { LogStore } from '../logs/log-store';
import { LocalProvider } from '../providers/local-provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { PublicationService } from '../publications/publication-service';
import { SettingsStore } from '../settings/settings-store';
import { waitFor } from '../../../test-support/wait-for';
import { DirectDialer } from '../labs/dialer';
import { Reconciler } from '../tunnels/reconciler';

// Docker going away under running tunnels, cheaply: the core's Docker client talks through a
// socket proxy the test cuts and restores (what a daemon restart looks like to the core),
// while the real containers run on. The real daemon restart is in e2e/faults.spec.ts.
const LAB = `fcut${process.pid}`;
const KiB = 1024;

describe('Docker socket cut under running tunnels', () => {
  let dir: string;
  let proxy: DockerProxy;
  let lab: TestLab;
  let logs: LogStore;
  let labs: LabsService;
  let providers: ProviderRegistry;
  let reconciler: Reconciler;
  let pubs: PublicationService;
  let id: string;

  const tunnel = () => reconciler.list().find((t) => t.id === id);
  // Counter moves come only through onUpdated.
  const onEither = (l: () => void) => {
    const offs = [reconciler.onChanged(l), reconciler.onUpdated(l)];
    return () => offs.forEach((off) => off());
  };
  const until = (what: string, pred: (t: Tunnel) => boolean) => waitFor(onEither, () => { const t = tunnel(); return !!t && pred(t) && t; }, what, 15_000);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-cut-'));
    proxy = new DockerProxy(dir);
    await proxy.listen();
    lab = await startLab({ lab: LAB, nodes: [{ name: 'n1' }] });
    await lab.waitForPorts('n1', [7]);
    logs = new LogStore();
    const settings = new SettingsStore(dir);
    providers = new ProviderRegistry([new LocalProvider({ settings, log: logs.logger('provider.local') })]);
    await providers.start();
    const source = new LocalLabSource({ docker: new Dockerode({ socketPath: proxy.socketPath }), log: logs.logger('docker'), retry: { initialMs: 100, maxMs: 200 } });
    labs = new LabsService([{ source, dialer: new DirectDialer() }]);
    pubs = new PublicationService({ settings, providers, labs, log: logs.logger('publications') });
    await pubs.start();
    await labs.start();
    reconciler = new Reconciler({ publications: pubs, labs, providers, logs });
    reconciler.start();
    id = pubs.add({ host: 'local', lab: LAB, node: 'n1', port: 7, type: 'tcp', provider: 'local', access: [] }).id;
  });

  afterAll(async () => {
    await reconciler?.dispose();
    await labs?.dispose();
    await providers?.dispose();
    await proxy?.close();
    await lab?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('parks the tunnel on its public port while Docker is away, keeps open connections moving, resumes when Docker is back', async () => {
    const up = await until('online', (t) => t.state === 'online');
    const stream = await OpenStream.open(up.endpoint!.host, up.endpoint!.port);
    await stream.roundTrip(64 * KiB);

    const cutAt = Date.now();
    await proxy.close();
    const host = await waitFor((l) => labs.onHostsChanged(l), () => { const h = labs.hosts()[0]; return h.state === 'unreachable' && h; }, 'Docker unreachable');
    expect(host.error).toContain(`lost the connection to Docker at unix://${proxy.socketPath}`);
    expect(host.hint).toBeTruthy();
    const parked = await until('waiting for its node', (t) => t.state === 'waiting-for-node');
    expect(parked.reason).toMatch(/Docker on this computer is unreachable/);
    expect(parked.endpoint).toEqual(up.endpoint);
    // The container did not go anywhere: the connection made before the cut keeps working.
    await stream.roundTrip(256 * KiB);
    expect(logs.query({ tunnelId: id, level: 'warn', limit: 100 }).some((e) => e.time >= cutAt && /waiting[- ]for[- ]node/.test(e.message))).toBe(true);

    await proxy.listen();
    const back = await until('online again', (t) => t.state === 'online');
    expect(back.endpoint).toEqual(up.endpoint);
    expect(back.target).toEqual(up.target);
    const payload = randomBytes(128 * KiB);
    expect((await echoThrough(back.endpoint!.host, back.endpoint!.port, payload)).equals(payload)).toBe(true);
    await stream.roundTrip(16 * KiB);
    stream.destroy();
    const done = await until('every connection closed and counted', (t) => t.counters.open === 0 && t.counters.total === 2);
    expect(done.counters.bytesIn).toBe((64 + 256 + 16 + 128) * KiB);
    expect(done.counters.bytesOut).toBe(done.counters.bytesIn);
  });
});
