/**
 * Remote lab hosts through the whole core (createCore, the contract's methods and events):
 * a second host that is this machine behind a loopback sshd, its lab published through the
 * local provider and through an SSH relay (a second sshd), its sshd going away and coming
 * back, a restart from the same data folder, and removal. Waits follow the core's events.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type TestLab } from '../../../test-support/lab-containers';
import { accepts, echoThrough } from '../../../test-support/net-client';
import { startSshd, type TestSshd } from '../../../test-support/sshd';
import type { Events, MethodName, ParamsIn, Result } from '../../../shared/contract';
import type { LabHostStatus, Tunnel } from '../../../shared/model';
import { createCore, type Core } from '../app-core';
import { HostKeyStore } from '../ssh/host-key-store';
import { SettingsStore } from '../settings/settings-store';
import { waitFor } from '../../../test-support/wait-for';
import { startLabHostSshd, stopLabHostSshd, type LabHostSshd } from '../../../test-support/lab-host-sshd';

const LAB = `rhc${process.pid}`;
let lab: TestLab;
let host: LabHostSshd;
let relay: TestSshd;
let dataDir: string;
let core: Core | undefined;
let hostId: string;

/** The core plus the latest payload of each event, for synchronous checks in waits. */
class Probe {
  readonly latest: Partial<Events> = {};
  constructor(readonly core: Core) {
    for (const e of ['hosts.changed', 'labs.changed', 'tunnels.changed', 'publications.changed'] as const) core.events.on(e, (p) => void (this.latest[e] = p as never));
  }
  async call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<M>> {
    const r = await this.core.dispatch(method, params);
    if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.message}`), r.error);
    return r.result as Result<M>;
  }
  until<T>(what: string, check: () => T | undefined | false, ms = 20_000): Promise<T> {
    const sub = (l: () => void) => {
      const offs = (['hosts.changed', 'labs.changed', 'tunnels.changed'] as const).map((e) => this.core.events.on(e, () => queueMicrotask(l)));
      return () => offs.forEach((o) => o());
    };
    return waitFor(sub, check, `${what}; hosts ${JSON.stringify(this.latest['hosts.changed'])}`, ms);
  }
  host(id: string): LabHostStatus | undefined {
    return this.latest['hosts.changed']?.find((h) => h.id === id);
  }
  tunnel(hostId: string, port: number): Tunnel | undefined {
    return this.latest['tunnels.changed']?.find((t) => t.host === hostId && t.port === port);
  }
  labOn(hostId: string) {
    return this.latest['labs.changed']?.find((l) => l.host === hostId && l.name === LAB);
  }
}
let probe: Probe;

async function startCore(): Promise<Probe> {
  core = createCore({ dataDir });
  const p = new Probe(core);
  await core.start();
  p.latest['hosts.changed'] = await p.call('hosts.list', {});
  p.latest['labs.changed'] = await p.call('labs.list', {});
  p.latest['tunnels.changed'] = await p.call('tunnels.list', {});
  return p;
}

const echoes = async (t: Tunnel | undefined, size = 128 * 1024) => {
  const payload = randomBytes(size);
  return (await echoThrough(t!.endpoint!.host, t!.endpoint!.port, payload)).equals(payload);
};

beforeAll(async () => {
  [lab, host, relay] = await Promise.all([startLab({ lab: LAB, nodes: [{ name: 'n1' }, { name: 'n2' }] }), startLabHostSshd(), startSshd()]);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-core-'));
  // The relay's key is known already; the lab host's is confirmed through the contract below.
  new HostKeyStore(new SettingsStore(dataDir)).trust('127.0.0.1', relay.port, { algorithm: 'ssh-ed25519', fingerprint: relay.hostKeyFingerprint });
  probe = await startCore();
});
afterAll(async () => {
  try {
    await core?.dispose();
  } finally {
    await lab?.remove();
    await stopLabHostSshd(host);
    await relay?.stop();
    if (relay) fs.rmSync(relay.dir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

describe('remote lab hosts in the core', () => {
  it('hosts.add asks to confirm the host key; once trusted, labs.list shows its lab under its id', async () => {
    const added = await probe.call('hosts.add', { url: host.url, keyFile: host.clientKeyPath, label: 'loopback' });
    hostId = added.id;
    expect(added).toMatchObject({ kind: 'ssh', label: 'loopback', address: host.url, state: 'unreachable', hostKey: { state: 'unknown', fingerprint: host.hostKeyFingerprint } });
    await expect(probe.call('hosts.add', { url: host.url, keyFile: host.clientKeyPath })).rejects.toMatchObject({ code: 'conflict' });
    await probe.call('hosts.trustHostKey', { id: hostId, fingerprint: host.hostKeyFingerprint });
    const remote = await probe.until('the lab on the remote host', () => probe.labOn(hostId)?.nodes.length === 2 && probe.labOn(hostId));
    expect(remote.nodes.map((n) => n.ipv4)).toEqual([await lab.ip('n1'), await lab.ip('n2')]);
    expect(probe.labOn('local')?.nodes).toHaveLength(2); // the same daemon, seen as this computer too
    expect(probe.host(hostId)).toMatchObject({ state: 'connected', hostKey: { state: 'trusted' } });
  });

  it('publishes its node ports through the local provider and the SSH relay, byte-exact', async () => {
    await probe.call('providers.configure', { id: 'ssh', host: '127.0.0.1', port: relay.port, user: relay.user, keyFile: relay.clientKeyPath });
    await probe.call('publications.add', { host: hostId, lab: LAB, node: 'n1', port: 7, type: 'tcp', provider: 'local' });
    await probe.call('publications.add', { host: hostId, lab: LAB, node: 'n2', port: 8080, type: 'tcp', provider: 'ssh' });
    await probe.call('publications.add', { host: 'local', lab: LAB, node: 'n2', port: 7, type: 'tcp', provider: 'local' });
    await probe.until('three tunnels online', () => [probe.tunnel(hostId, 7), probe.tunnel(hostId, 8080), probe.tunnel('local', 7)].every((t) => t?.state === 'online'));
    expect(probe.tunnel(hostId, 8080)?.endpoint?.host).toBe('127.0.0.1');
    expect(probe.tunnel(hostId, 8080)?.endpoint?.port).not.toBe(probe.tunnel(hostId, 7)?.endpoint?.port);
    expect(await echoes(probe.tunnel(hostId, 7), 512 * 1024)).toBe(true);
    expect(await echoes(probe.tunnel(hostId, 8080), 512 * 1024)).toBe(true);
    expect(await echoes(probe.tunnel('local', 7))).toBe(true);
  });

  it('its sshd stopped: the host is unreachable and its labs leave labs.list; this computer carries on', async () => {
    await host.stop();
    const down = await probe.until('the host unreachable', () => probe.host(hostId)?.state === 'unreachable' && probe.host(hostId));
    expect(down.error).toBeTruthy();
    expect(down.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
    expect(probe.labOn(hostId)).toBeUndefined();
    await probe.until('its tunnels waiting for their nodes', () => probe.tunnel(hostId, 7)?.state === 'waiting-for-node' && probe.tunnel(hostId, 8080)?.state === 'waiting-for-node');
    expect(probe.host('local')?.state).toBe('connected');
    expect(probe.labOn('local')?.nodes).toHaveLength(2);
    expect(probe.tunnel('local', 7)?.state).toBe('online');
    expect(await echoes(probe.tunnel('local', 7))).toBe(true);
  });

  it('its sshd back: the host reconnects and its tunnels are online again', async () => {
    await host.start();
    await probe.until('the host and its tunnels back', () => probe.host(hostId)?.state === 'connected' && probe.tunnel(hostId, 7)?.state === 'online' && probe.tunnel(hostId, 8080)?.state === 'online', 30_000);
    expect(await echoes(probe.tunnel(hostId, 7))).toBe(true);
    expect(await echoes(probe.tunnel(hostId, 8080))).toBe(true);
  });

  it('after a restart from the same data folder, the host and its publications come back', async () => {
    await core!.dispose();
    probe = await startCore();
    // Known from the first reconcile: the tunnel exists and waits, it is not skipped as unknown.
    expect(probe.latest['tunnels.changed']?.filter((t) => t.host === hostId).map((t) => t.port).sort()).toEqual([7, 8080]);
    await probe.until('tunnels online after the restart', () => probe.tunnel(hostId, 7)?.state === 'online' && probe.tunnel(hostId, 8080)?.state === 'online', 30_000);
    expect(await echoes(probe.tunnel(hostId, 7))).toBe(true);
  });

  it('hosts.remove forgets the host and closes its tunnels; its publications stay, dormant, and come back when it is added again', async () => {
    const before = probe.tunnel(hostId, 7)!.endpoint!;
    expect(await accepts(before.host, before.port)).toBe(true);
    await probe.call('hosts.remove', { id: hostId });
    const parked = await probe.until('its tunnels stopped', () => [probe.tunnel(hostId, 7), probe.tunnel(hostId, 8080)].every((t) => t?.state === 'stopped') && probe.tunnel(hostId, 7));
    expect(parked.reason).toBe('lab host loopback was removed; add it again under Hosts to bring this tunnel back');
    expect(parked.counters.total).toBeGreaterThan(0); // what it carried is not forgotten
    expect(await accepts(before.host, before.port)).toBe(false);
    expect(probe.tunnel('local', 7)?.state).toBe('online');
    expect((await probe.call('hosts.list', {})).map((h) => h.id)).toEqual(['local']);
    expect((await probe.call('labs.list', {})).every((l) => l.host === 'local')).toBe(true);
    const pubs = await probe.call('publications.list', {});
    expect(pubs.filter((p) => p.host === hostId).map((p) => p.port).sort()).toEqual([7, 8080]);
    await expect(probe.call('hosts.remove', { id: 'local' })).rejects.toMatchObject({ code: 'refused' });
    // Started again without the host, the publications are listed, parked, and say why.
    await core!.dispose();
    probe = await startCore();
    expect(probe.tunnel(hostId, 8080)).toMatchObject({ state: 'stopped', reason: `lab host ${hostId} is not in this app's settings; add it under Hosts to run this tunnel` });
    // The host key went with it: adding it again asks again, and gives the same id.
    const again = await probe.call('hosts.add', { url: host.url, keyFile: host.clientKeyPath, label: 'loopback' });
    expect(again).toMatchObject({ id: hostId, hostKey: { state: 'unknown' } });
    await probe.call('hosts.trustHostKey', { id: hostId, fingerprint: host.hostKeyFingerprint });
    await probe.until('its tunnels online again', () => probe.tunnel(hostId, 7)?.state === 'online' && probe.tunnel(hostId, 8080)?.state === 'online', 30_000);
    expect(await echoes(probe.tunnel(hostId, 8080))).toBe(true);
  });
});
