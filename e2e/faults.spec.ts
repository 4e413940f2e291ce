import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import Docker from 'dockerode';
import type { LogEntry, Tunnel } from '../shared/model';
import { dockerdAnswers, dockerdNotRestartable, startDockerd, stopDockerd } from '../test-support/dockerd';
import { startHost, type TestHost } from '../test-support/host-process';
import { startLab, type TestLab } from '../test-support/lab-containers';
import { accepts, echoThrough } from '../test-support/net-client';
import { echoBurst, OpenStream } from '../test-support/net-load';
import { startNodeEcho, type NodeEcho } from '../test-support/node-echo';
import { descendantsOf, isRunning, listenersOf, tcpListeners } from '../test-support/proc-inspect';
import { RpcClient } from '../test-support/rpc-client';
import { startSshd, type TestSshd } from '../test-support/sshd';

// Faults a lab publisher meets, each survived with a clear state and reason at every step and
// no byte lost: the headless host as a process, driven through its JSON-RPC API (and the UI
// where the user would look), real dockerd, real sshd relay, real lab containers.
// Covered elsewhere, not repeated here: a node restarted on a new address (publish.spec.ts,
// 'a stopped node parks its tunnel; back on a new address ...' and 'a restarted node ...'),
// a forward refused because the port is taken (tunnel-runtime.test.ts, ssh-provider.test.ts
// 'fails only the forward whose relay port is taken'), an HTTP proxy going down
// (border0.spec.ts, dataplane-proxy.test.ts), Docker's socket cut under the core
// (electron/core/faults/docker-socket-cut.test.ts).
const LAB = `flt${process.pid}`;
const ECHO_PORT = 9000;
const KiB = 1024;
/** The log entry a finished public connection leaves: who, and the bytes it carried. */
const isConnectionClose = (e: LogEntry) => e.message.startsWith('connection from ') && e.message.includes(' closed') && typeof e.fields?.bytesIn === 'number';

test.describe.serial('faults are survived, with a state and a reason at every step', () => {
  let lab: TestLab;
  let relay: TestSshd;
  let echoes: NodeEcho[] = [];
  let host: TestHost;
  let api: RpcClient;
  let localId: string;
  let relayId: string;

  const tunnel = async (id: string): Promise<Tunnel> => {
    const t = (await api.call('tunnels.list', {})).find((x) => x.id === id);
    if (!t) throw new Error(`no tunnel ${id}`);
    return t;
  };
  const online = (id: string, what = 'online', timeoutMs?: number) => api.tunnel(id, (t) => t.state === 'online' && !!t.endpoint, what, timeoutMs);
  const echoVia = async (t: Tunnel, size: number) => {
    const payload = randomBytes(size);
    expect((await echoThrough(t.endpoint!.host, t.endpoint!.port, payload)).equals(payload), `echo through ${t.name} at ${t.endpoint!.port}`).toBe(true);
  };
  const connect = async () => {
    api?.close();
    api = await RpcClient.open(host);
  };

  test.beforeAll(async () => {
    [lab, relay] = await Promise.all([startLab({ lab: LAB, nodes: [{ name: 'r1' }, { name: 'r2' }] }), startSshd()]);
    echoes = await Promise.all(lab.containers.map((c) => startNodeEcho(c.id, [ECHO_PORT])));
    host = await startHost();
    await connect();
    await api.call('providers.configure', { id: 'ssh', host: relay.host, port: relay.port, user: relay.user, keyFile: relay.clientKeyPath });
    localId = (await api.call('publications.add', { lab: LAB, node: 'r1', port: ECHO_PORT, type: 'tcp' })).id;
    relayId = (await api.call('publications.add', { lab: LAB, node: 'r2', port: ECHO_PORT, type: 'tcp', provider: 'ssh' })).id;
    // Trust on first use, as a user confirms it in the UI (publish.spec.ts clicks it).
    const asking = await api.waitFor('providers.changed', () => api.call('providers.list', {}), (ps) => ps.find((p) => p.id === 'ssh' && p.hostKey?.state === 'unknown'), 'the relay host key to confirm');
    expect(asking.hostKey!.fingerprint).toBe(relay.hostKeyFingerprint);
    await api.call('providers.trustHostKey', { id: 'ssh', fingerprint: relay.hostKeyFingerprint });
    await Promise.all([online(localId), online(relayId)]);
  });

  test.afterAll(async () => {
    api?.close();
    await host?.stop();
    // A failed Docker restart test must never leave the machine without its daemon.
    if (!(await dockerdAnswers())) await startDockerd();
    await Promise.all(echoes.map((e) => e.stop()));
    await Promise.all([lab?.remove(), relay?.stop()]);
  });

  test('200 connections at once through one tunnel, local and SSH relay, each echoed byte-exact; counters count them all and end at 0 open', async () => {
    for (const id of [localId, relayId]) {
      const before = await tunnel(id);
      const t0 = Date.now();
      const { bytes } = await echoBurst(before.endpoint!.host, before.endpoint!.port, 200, 16 * KiB, 64 * KiB);
      const after = await api.tunnel(id, (t) => t.counters.open === 0 && t.counters.total === before.counters.total + 200 && t.counters.bytesOut - before.counters.bytesOut === bytes, `200 more connections, ${bytes} bytes back, none open`);
      expect(after.counters.bytesIn - before.counters.bytesIn).toBe(bytes);
      expect(after.state).toBe('online');
      // Each one is in the log as a clean close, none as an error.
      const closes = (await api.call('logs.query', { tunnelId: id, text: 'closed', limit: 5000 })).filter((e) => e.time >= t0 && isConnectionClose(e));
      expect(closes.length).toBeGreaterThanOrEqual(200);
      expect(closes.filter((e) => e.fields?.error)).toEqual([]);
    }
  });

  test('relay sshd killed mid-transfer, then back: the relay tunnel reconnects by itself on the same port; the local tunnel never notices', async ({ page }) => {
    const relay0 = await tunnel(relayId);
    const local0 = await tunnel(localId);
    const viaRelay = await OpenStream.open(relay0.endpoint!.host, relay0.endpoint!.port);
    const viaLocal = await OpenStream.open(local0.endpoint!.host, local0.endpoint!.port);
    await Promise.all([viaRelay.roundTrip(64 * KiB), viaLocal.roundTrip(64 * KiB)]);
    await page.goto(host.url);
    const row = page.getByTestId(`tunnel-r2-${ECHO_PORT}`);
    await expect(row.getByTestId('tunnel-state')).toHaveText('online');

    const cutAt = Date.now();
    await relay.stop();
    // The connection in flight through the relay ends with it: nothing can carry it any more.
    await viaRelay.closed;
    const down = await api.tunnel(relayId, (t) => t.state === 'reconnecting', 'reconnecting after the relay died');
    expect(down.reason).toContain(`relay ${relay.host}:${relay.port}`);
    expect(down.nextRetryAt).toBeGreaterThan(cutAt);
    expect(down.endpoint).toEqual(relay0.endpoint);
    await expect(row.getByTestId('tunnel-state')).toHaveText('reconnecting');
    await expect(row.getByTestId('tunnel-reason')).toContainText(`relay ${relay.host}:${relay.port}`);

    // Meanwhile the local tunnel carries bytes: the connection open before, and new ones.
    await viaLocal.roundTrip(256 * KiB);
    await echoVia(local0, 64 * KiB);
    expect(viaLocal.isOpen).toBe(true);

    await relay.start();
    const back = await online(relayId, 'online again once the relay listens', 30_000);
    expect(back.endpoint, 'the relay gave the same public port back').toEqual(relay0.endpoint);
    await echoVia(back, 128 * KiB);
    await expect(row.getByTestId('tunnel-state')).toHaveText('online');
    expect(api.statesOf(relayId, cutAt).join(' → ')).toMatch(/^(online → )?reconnecting → online$/);
    expect(api.statesOf(localId, cutAt).filter((s) => s !== 'online')).toEqual([]);
    await viaLocal.roundTrip(16 * KiB);
    viaLocal.destroy();

    // The broken connection is in the relay tunnel's log with what it had carried (the relay
    // reports the client's own address as where it came from).
    const logs = await api.call('logs.query', { tunnelId: relayId, limit: 5000 });
    const broken = logs.filter((e) => isConnectionClose(e) && e.message.startsWith(`connection from 127.0.0.1:${viaRelay.localPort} `));
    expect(broken).toHaveLength(1);
    expect(broken[0].time).toBeGreaterThanOrEqual(cutAt);
    expect(broken[0].fields).toMatchObject({ bytesIn: 64 * KiB, bytesOut: 64 * KiB });
    // Broken, not closed by the visitor: the log says what ended it.
    expect(broken[0].fields?.error).toMatch(/^the relay connection was lost: /);
    expect(broken[0].message).toContain(', the relay connection was lost: ');
    test.info().annotations.push({ type: 'broken connection log', description: `${broken[0].message} ${JSON.stringify(broken[0].fields)}` });
    expect(logs.some((e) => e.time >= cutAt && e.level === 'warn' && e.message.includes('reconnecting') && e.message.includes(down.reason!))).toBe(true);
    expect(logs.some((e) => e.time >= cutAt && e.message.includes(`public endpoint ${relay0.endpoint!.host}:${relay0.endpoint!.port}`))).toBe(true);
  });

  test('the host restarts: both publications come back from settings, the relay one with its host key still trusted', async () => {
    api.close();
    host = await host.restart();
    await connect();
    const [local, viaRelay] = await Promise.all([online(localId), online(relayId)]);
    const ssh = (await api.call('providers.list', {})).find((p) => p.id === 'ssh')!;
    expect(ssh.hostKey).toMatchObject({ state: 'trusted', fingerprint: relay.hostKeyFingerprint });
    expect(api.statesOf(relayId)).not.toContain('failed'); // no host key question this time
    await Promise.all([echoVia(local, 64 * KiB), echoVia(viaRelay, 64 * KiB)]);
  });

  test('relay unreachable when the host starts: reconnecting with the next retry time, then online by itself once sshd listens there', async () => {
    api.close();
    await host.stop();
    await relay.stop();
    const startedAt = Date.now();
    host = await startHost({ dataDir: host.dataDir });
    await connect();
    const waiting = await api.tunnel(relayId, (t) => t.state === 'reconnecting', 'reconnecting while nothing listens on the relay port');
    expect(waiting.reason).toMatch(new RegExp(`cannot reach relay ${relay.host}:${relay.port}: .*ECONNREFUSED`));
    expect(waiting.nextRetryAt).toBeGreaterThan(startedAt);
    // The local one does not wait for the relay.
    await echoVia(await online(localId), 32 * KiB);

    await relay.start();
    const back = await online(relayId, 'online by itself once sshd listens', 30_000);
    await echoVia(back, 64 * KiB);
    expect(api.statesOf(relayId)).not.toContain('failed');
  });

  test('Docker daemon restarted: the host says Docker is unreachable and why, tunnels wait for their nodes, open connections go on, then labs and tunnels come back', async ({ page }) => {
    const why = await dockerdNotRestartable();
    if (why) console.log(`Docker restart test skipped: ${why}`);
    test.skip(!!why, why);
    const before = await Promise.all([tunnel(localId), tunnel(relayId)]);
    const ips = await Promise.all(['r1', 'r2'].map((n) => lab.ip(n)));
    const docker = new Docker();
    const startedAt = () => Promise.all(lab.containers.map(async (c) => (await docker.getContainer(c.id).inspect()).State.StartedAt));
    const started0 = await startedAt();
    const open = await Promise.all(before.map((t) => OpenStream.open(t.endpoint!.host, t.endpoint!.port)));
    await Promise.all(open.map((s) => s.roundTrip(32 * KiB)));
    await page.goto(host.url);
    await expect(page.getByTestId(`host-status-local`)).toContainText('connected');

    const cutAt = Date.now();
    try {
      await stopDockerd();
      const down = await api.host('local', (h) => h.state === 'unreachable', 'Docker unreachable');
      expect(down.error).toMatch(/Docker at unix:\/\/\/var\/run\/docker\.sock/);
      expect(down.hint).toBeTruthy();
      expect(down.nextRetryAt).toBeGreaterThan(cutAt);
      await expect(page.getByTestId('host-banner')).toContainText('unreachable');
      // Nothing stale is shown while Docker cannot be asked: the tunnels wait for their
      // nodes, keeping their public ports.
      for (const t of before) {
        const w = await api.tunnel(t.id, (x) => x.state === 'waiting-for-node', 'waiting for its node while Docker is away');
        expect(w.reason).toContain(`node ${t.node}`);
        test.info().annotations.push({ type: 'reason while Docker is away', description: w.reason! });
        expect(w.endpoint).toEqual(t.endpoint);
      }
      // The containers run on (live-restore): connections already open keep moving bytes.
      await Promise.all(open.map((s) => s.roundTrip(128 * KiB)));
    } finally {
      if (!(await dockerdAnswers())) await startDockerd();
    }

    await api.host('local', (h) => h.state === 'connected', 'Docker answering again', 60_000);
    await expect(page.getByTestId('host-banner')).toHaveCount(0);
    const labs = await api.call('labs.list', {});
    const mine = labs.find((l) => l.name === LAB);
    expect(mine?.nodes.map((n) => [n.name, n.state, n.ipv4]).sort()).toEqual([['r1', 'running', ips[0]], ['r2', 'running', ips[1]]]);
    expect(await startedAt(), 'the containers ran on through the restart').toEqual(started0);
    for (const t of before) {
      const back = await online(t.id, 'online again after the Docker restart');
      expect(back.endpoint).toEqual(t.endpoint);
      await echoVia(back, 64 * KiB);
      expect(api.statesOf(t.id, cutAt).join(' → ')).toMatch(/^(online → )?waiting-for-node → online$/);
    }
    await Promise.all(open.map((s) => s.roundTrip(16 * KiB)));
    open.forEach((s) => s.destroy());
  });

  test('quit with tunnels up and connections open: exits 0 within seconds, every public port closed, nothing left behind', async () => {
    // Two of each provider, a connection open through every one.
    const more = await Promise.all([
      api.call('publications.add', { lab: LAB, node: 'r2', port: 7, type: 'tcp' }),
      api.call('publications.add', { lab: LAB, node: 'r1', port: 7, type: 'tcp', provider: 'ssh' }),
    ]);
    const tunnels = await Promise.all([localId, more[0].id, relayId, more[1].id].map((id) => online(id)));
    const open = await Promise.all(tunnels.map((t) => OpenStream.open(t.endpoint!.host, t.endpoint!.port)));
    await Promise.all(open.map((s) => s.roundTrip(32 * KiB)));
    const pid = host.pid;
    const children = descendantsOf(pid);
    const localPorts = tunnels.filter((t) => t.provider === 'local').map((t) => t.endpoint!.port);
    const relayPorts = tunnels.filter((t) => t.provider === 'ssh').map((t) => t.endpoint!.port);
    expect(listenersOf(pid).map((l) => l.port)).toEqual(expect.arrayContaining([host.port, ...localPorts]));
    for (const p of relayPorts) expect(await accepts(relay.host, p)).toBe(true);

    api.close();
    const t0 = Date.now();
    const code = await host.stop();
    const tookMs = Date.now() - t0;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(5000);
    await Promise.all(open.map((s) => s.closed));
    expect(host.output.join('\n')).toContain('SIGTERM: closing tunnels');

    for (const p of [host.port, ...localPorts]) expect(await accepts('127.0.0.1', p), `port ${p} closed`).toBe(false);
    // The relay drops the forwards once our SSH session has ended.
    for (const p of relayPorts) await expect.poll(() => accepts(relay.host, p), `relay port ${p} released`).toBe(false);
    expect(isRunning(pid)).toBe(false);
    expect(children.filter(isRunning)).toEqual([]);
    expect(listenersOf(pid)).toEqual([]);
    const ours = [host.port, ...localPorts, ...relayPorts];
    expect(tcpListeners().filter((l) => ours.includes(l.port))).toEqual([]);
    test.info().annotations.push({ type: 'quit', description: `SIGTERM to exit: ${tookMs} ms` });
  });
});
