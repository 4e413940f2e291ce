import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerProxy } from '../../../test-support/docker-proxy';
import { startLab, type TestLab } from '../../../test-support/lab-containers';
import { LocalLabSource } from '../labs/docker-lab-source';
import { LabsService } from '../labs/labs-service';
import { LogStore } from '../logs/log-store';
import { LocalProvider } from '../providers/local-provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { PublicationService } from '../publications/publication-service';
import { SettingsStore } from '../settings/settings-store';
import { waitFor } from '../../../test-support/wait-for';
import { DirectDialer } from '../labs/dialer';
import { LabSettingsStore } from './lab-settings';
import { describeLoadError, loadLocalTopology } from './topology-loading';
import { TopologyService } from './topology-service';

// The lifecycle against the real Docker: deploy → publish, file edit → resync, Docker gone →
// nothing unpublished, lab destroyed → its publications gone (and only its own).
const LAB = `tsvc${process.pid}`;
const file = (dir: string) => path.join(dir, `${LAB}.clab.yml`);
const topo = (n1: string) => `name: ${LAB}\ntopology:\n  nodes:\n    n1:\n      kind: linux\n      publish: ${n1}\n    n2:\n      kind: linux\n`;

describe('TopologyService', () => {
  let dir: string;
  let proxy: DockerProxy;
  let lab: TestLab | undefined;
  let svc: TopologyService;
  let pubs: PublicationService;
  let labs: LabsService;
  let providers: ProviderRegistry;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsvc-'));
    fs.writeFileSync(file(dir), topo('[tcp/7, http/80]'));
    proxy = new DockerProxy(dir);
    await proxy.listen();
    const logs = new LogStore();
    const settings = new SettingsStore(dir);
    providers = new ProviderRegistry([new LocalProvider({ settings, log: logs.logger('p') })]);
    await providers.start();
    const source = new LocalLabSource({ docker: new Dockerode({ socketPath: proxy.socketPath }), log: logs.logger('docker'), retry: { initialMs: 100, maxMs: 200 } });
    labs = new LabsService([{ source, dialer: new DirectDialer() }]);
    pubs = new PublicationService({ settings, providers, labs, log: logs.logger('pubs') });
    await pubs.start();
    await labs.start();
    svc = new TopologyService({ labs, publications: pubs, labSettings: new LabSettingsStore(settings), load: loadLocalTopology, describe: describeLoadError, log: logs.logger('topology') });
    await svc.start();
  });
  afterAll(async () => {
    svc?.dispose();
    await labs?.dispose();
    await providers?.dispose();
    await proxy?.close();
    await lab?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const mine = () => pubs.list().filter((p) => p.lab === LAB).map((p) => `${p.node}:${p.type}/${p.port}@${p.source?.line ?? 'ui'}`).sort();
  const until = (what: string, pred: () => boolean) => waitFor((l) => svc.onChanged(l), () => pred() || undefined, what, 15_000);

  it('publishes the file\'s entries when the lab is deployed, with their lines', async () => {
    const other = pubs.add({ host: 'local', lab: 'someone-else', node: 'x', port: 22, type: 'tcp', provider: 'local', access: [] });
    const announced: number[] = [];
    const off = pubs.onChanged((items) => announced.push(items.filter((p) => p.lab === LAB).length));
    lab = await startLab({ lab: LAB, topoFile: file(dir), nodes: [{ name: 'n1' }, { name: 'n2' }] });
    await until('two publications', () => mine().length === 2);
    off();
    expect(announced).toEqual([2]); // the file's entries arrive as one change (one save, one reconcile)
    expect(mine()).toEqual(['n1:http/80@6', 'n1:tcp/7@6']);
    expect(pubs.list().every((p) => p.lab !== LAB || p.origin === 'topology')).toBe(true);
    const state = svc.stateOf('local', LAB)!;
    expect(state).toMatchObject({ file: file(dir), fileSource: 'label', autoPublish: true, deployed: true, provider: 'local' });
    expect(pubs.list()).toContainEqual(other);
  });

  it('follows an edit of the file: removed entries go, new ones come', async () => {
    fs.writeFileSync(file(dir), topo('\n        - tcp/7\n        - tcp/8080'));
    await until('8080 instead of 80', () => mine().join() === 'n1:tcp/7@7,n1:tcp/8080@8');
  });

  it('reports entries the provider refuses, beside the lab, and publishes the others', async () => {
    fs.writeFileSync(file(dir), topo('[tcp/7, tcp/22/alice@example.com]'));
    await until('the refused entry reported', () => !!svc.stateOf('local', LAB)?.report?.diagnostics.some((d) => d.text.includes('alice')));
    const d = svc.stateOf('local', LAB)!.report!.diagnostics.find((x) => x.text.includes('alice'))!;
    expect(d).toMatchObject({ severity: 'error', line: 6 });
    expect(d.message).toMatch(/access list/);
    expect(mine()).toEqual(['n1:tcp/7@6']);
  });

  it('does not unpublish anything while Docker is unreachable', async () => {
    await proxy.close();
    await waitFor((l) => labs.onHostsChanged(l), () => labs.hosts()[0].state === 'unreachable' || undefined, 'Docker unreachable');
    expect(mine()).toEqual(['n1:tcp/7@6']);
    await proxy.listen();
    await waitFor((l) => labs.onLabsChanged(l), () => labs.labs().some((x) => x.name === LAB) || undefined, 'lab back', 15_000);
    expect(mine()).toEqual(['n1:tcp/7@6']);
  });

  it('turning auto-publish off removes the file\'s publications; on brings them back', async () => {
    await svc.configure('local', LAB, { autoPublish: false });
    expect(mine()).toEqual([]);
    await svc.configure('local', LAB, { autoPublish: true });
    expect(mine()).toEqual(['n1:tcp/7@6']);
  });

  it('removes the lab\'s publications when the lab is destroyed, and nothing else', async () => {
    const others = pubs.list().filter((p) => p.lab !== LAB);
    await lab!.remove();
    lab = undefined;
    await until('publications gone', () => mine().length === 0);
    expect(pubs.list()).toEqual(others);
  });
});
