/**
 * Labs that are not yours: on a shared lab server every user's labs are in one Docker, and
 * only the ones the user running the app deployed (containerlab's clab-owner label) have
 * their file's entries published, unless the user opts in, per lab and for that owner.
 * Also: label paths that are no topology file (relative, a FIFO) are a problem of that lab
 * and never hold the others. Real Docker, real lab containers.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type TestLab } from '../../../test-support/lab-containers';
import { waitFor } from '../../../test-support/wait-for';
import { DirectDialer } from '../labs/dialer';
import { LocalLabSource } from '../labs/docker-lab-source';
import { LabsService } from '../labs/labs-service';
import { LogStore } from '../logs/log-store';
import { LocalProvider } from '../providers/local-provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { PublicationService } from '../publications/publication-service';
import { SettingsStore } from '../settings/settings-store';
import { labOwnership } from './lab-ownership';
import { LabSettingsStore } from './lab-settings';
import { describeLoadError, loadLocalTopology } from './topology-loading';
import { TopologyService } from './topology-service';

describe('labOwnership', () => {
  it('is yours when clab-owner names you; someone else\'s otherwise, saying whose', () => {
    expect(labOwnership({ owner: 'bob', me: ['bob'] })).toEqual({ mine: true, optedIn: false, reason: 'deployed by you (bob)' });
    expect(labOwnership({ owner: 'alice', me: ['bob'] })).toEqual({ mine: false, optedIn: false, reason: 'deployed by alice, not by you (bob)' });
    // Under sudo the app is root and the sudo user both.
    expect(labOwnership({ owner: 'bob', me: ['root', 'bob'] }).mine).toBe(true);
    expect(labOwnership({ owner: 'alice', me: [] }).reason).toBe('deployed by alice; the user you are on that host is unknown');
  });

  it('opts in for one owner only: the same lab redeployed by another user needs it again', () => {
    expect(labOwnership({ owner: 'alice', me: ['bob'], optedInOwner: 'alice' })).toMatchObject({ mine: false, optedIn: true });
    expect(labOwnership({ owner: 'carol', me: ['bob'], optedInOwner: 'alice' })).toMatchObject({ mine: false, optedIn: false });
  });

  it('without the label: yours when the topology file is, else unknown and opt-in only', () => {
    expect(labOwnership({ me: ['bob'], fileIsMine: true })).toMatchObject({ mine: true });
    expect(labOwnership({ me: ['bob'], fileIsMine: false })).toEqual({ mine: false, optedIn: false, reason: 'no clab-owner label (containerlab before 0.57), and its topology file belongs to another user' });
    expect(labOwnership({ me: ['bob'] }).reason).toBe('no clab-owner label (containerlab before 0.57), and who deployed it cannot be told');
    expect(labOwnership({ me: ['bob'], optedInOwner: '' })).toMatchObject({ optedIn: true });
  });
});

const ID = process.pid;
const topo = (lab: string) => `name: ${lab}\ntopology:\n  nodes:\n    n1:\n      kind: linux\n      publish: [tcp/7]\n`;

describe('TopologyService on a shared lab server', () => {
  let dir: string;
  const labs: TestLab[] = [];
  let svc: TopologyService;
  let pubs: PublicationService;
  let labsSvc: LabsService;
  let providers: ProviderRegistry;
  let logs: LogStore;
  const me = os.userInfo().username;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owners-'));
    logs = new LogStore();
    const settings = new SettingsStore(dir);
    providers = new ProviderRegistry([new LocalProvider({ settings, log: logs.logger('p') })]);
    await providers.start();
    const source = new LocalLabSource({ docker: new Dockerode(), log: logs.logger('docker') });
    labsSvc = new LabsService([{ source, dialer: new DirectDialer() }]);
    pubs = new PublicationService({ settings, providers, labs: labsSvc, log: logs.logger('pubs') });
    await pubs.start();
    await labsSvc.start();
    svc = new TopologyService({ labs: labsSvc, publications: pubs, labSettings: new LabSettingsStore(settings), load: loadLocalTopology, describe: describeLoadError, log: logs.logger('topology') });
    await svc.start();
  });
  afterAll(async () => {
    svc?.dispose();
    await labsSvc?.dispose();
    await providers?.dispose();
    await Promise.all(labs.map((l) => l.remove()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const deploy = async (lab: string, opts: { owner?: string | null; topoFile?: string } = {}) => {
    const topoFile = opts.topoFile ?? path.join(dir, `${lab}.clab.yml`);
    if (!opts.topoFile) fs.writeFileSync(topoFile, topo(lab));
    const l = await startLab({ lab, topoFile, owner: opts.owner, nodes: [{ name: 'n1' }] });
    labs.push(l);
    return l;
  };
  const published = (lab: string) => pubs.list().filter((p) => p.lab === lab).map((p) => `${p.node}:${p.port}`);
  const stateOf = (lab: string) => waitFor((l) => svc.onChanged(l), () => svc.stateOf('local', lab)?.report && svc.stateOf('local', lab), `lab ${lab} read`, 20_000);
  const until = (what: string, pred: () => boolean) => waitFor((l) => svc.onChanged(l), () => pred() || undefined, what, 20_000);

  it('publishes the entries of your lab, and not of a lab someone else deployed, saying why', async () => {
    const yours = `own${ID}`;
    const theirs = `alice${ID}`;
    await Promise.all([deploy(yours), deploy(theirs, { owner: 'alice' })]);
    await until('your lab published', () => published(yours).length === 1);
    const state = await stateOf(theirs);
    expect(state).toMatchObject({ owner: 'alice', deployed: true, ownership: { mine: false, optedIn: false, reason: `deployed by alice, not by you (${me})` } });
    expect(state.report?.entries).toHaveLength(1);
    expect(published(theirs)).toEqual([]);
    expect(svc.stateOf('local', yours)?.ownership).toEqual({ mine: true, optedIn: false, reason: `deployed by you (${me})` });
  });

  it('one click (optIn) publishes it, for that owner; withdrawing unpublishes', async () => {
    const theirs = `alice${ID}`;
    expect((await svc.configure('local', theirs, { optIn: true })).ownership).toMatchObject({ mine: false, optedIn: true });
    expect(published(theirs)).toEqual(['n1:7']);
    await svc.configure('local', theirs, { optIn: false });
    expect(published(theirs)).toEqual([]);
    await svc.configure('local', theirs, { optIn: true });
  });

  it('the same lab redeployed by another user is not published on the earlier opt-in', async () => {
    const theirs = `alice${ID}`;
    expect(published(theirs)).toEqual(['n1:7']);
    await labs.find((l) => l.lab === theirs)!.remove();
    await until('gone', () => published(theirs).length === 0 && !svc.stateOf('local', theirs)?.deployed);
    await deploy(theirs, { owner: 'carol' });
    const state = await waitFor((l) => svc.onChanged(l), () => svc.stateOf('local', theirs)?.owner === 'carol' && svc.stateOf('local', theirs), 'carol\'s lab', 20_000);
    expect(state.ownership).toMatchObject({ mine: false, optedIn: false });
    expect(published(theirs)).toEqual([]);
  });

  it('a lab without the label is yours when its topology file is', async () => {
    const old = `old${ID}`;
    await deploy(old, { owner: null });
    await until('published', () => published(old).length === 1);
    expect(svc.stateOf('local', old)?.ownership).toMatchObject({ mine: true, reason: 'no clab-owner label (containerlab before 0.57); its topology file is yours' });
  });

  it('a label naming a relative path or a FIFO is that lab\'s problem; the others go on', async () => {
    const rel = `rel${ID}`;
    const fifo = `fifo${ID}`;
    const fifoFile = path.join(dir, 'fifo.clab.yml');
    execFileSync('mkfifo', [fifoFile]);
    await Promise.all([deploy(rel, { topoFile: 'labs/rel.clab.yml' }), deploy(fifo, { topoFile: fifoFile })]);
    const problem = (lab: string) => waitFor((l) => svc.onChanged(l), () => svc.stateOf('local', lab)?.problem, `the problem of ${lab}`, 20_000);
    expect(await problem(rel)).toMatchObject({ kind: 'read', message: 'the topology file path is not absolute' });
    expect(await problem(fifo)).toMatchObject({ kind: 'read', message: 'cannot read the topology file: it is a FIFO (named pipe), not a regular file' });
    // The service still serves: another lab deployed now is read and published.
    const after = `after${ID}`;
    await deploy(after);
    await until('the next lab published', () => published(after).length === 1);
  });
});
