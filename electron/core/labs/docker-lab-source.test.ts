import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DockerProxy } from '../../../test-support/docker-proxy';
import { startLab, TEST_IMAGE, type TestLab } from '../../../test-support/lab-containers';
import { DEBIAN_IMAGE, udpServicesNode } from '../../../test-support/udp-node';
import type { Lab, LabNode, LogEntry } from '../../../shared/model';
import type { Logger } from '../logs/logger';
import { waitFor } from '../../../test-support/wait-for';
import { createDockerClient } from '../docker/docker-client';
import { LocalLabSource } from './docker-lab-source';

// Integration tests against the machine's real dockerd, with containers labelled exactly as
// containerlab labels them. Every wait is driven by the source's onChanged events.
const docker = createDockerClient();
const RUN = `${process.pid}`;
const labs: TestLab[] = [];
const sources: LocalLabSource[] = [];
const temps: string[] = [];

afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.dispose()));
});
afterAll(async () => {
  await Promise.all(labs.splice(0).map((l) => l.remove()));
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

type RecordingLogger = Logger & { entries: LogEntry[]; onLog(l: () => void): () => void };

function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const listeners = new Set<() => void>();
  const log = (level: LogEntry['level'], message: string, fields?: LogEntry['fields']) => {
    entries.push({ seq: entries.length + 1, time: Date.now(), level, source: 'docker', message, fields });
    listeners.forEach((l) => l());
  };
  const logger: RecordingLogger = {
    entries,
    onLog: (l) => (listeners.add(l), () => listeners.delete(l)),
    log,
    debug: (m: string, f?: LogEntry['fields']) => log('debug', m, f),
    info: (m: string, f?: LogEntry['fields']) => log('info', m, f),
    warn: (m: string, f?: LogEntry['fields']) => log('warn', m, f),
    error: (m: string, f?: LogEntry['fields']) => log('error', m, f),
    child: () => logger,
  };
  return logger;
}

function newSource(d: Dockerode = docker, log = recordingLogger()): LocalLabSource & { logged: LogEntry[] } {
  const s = new LocalLabSource({ docker: d, log });
  sources.push(s);
  return Object.assign(s, { logged: log.entries });
}

const until = <T>(s: LocalLabSource, check: () => T | undefined | false, what: string, ms = 10_000) =>
  waitFor((l) => s.onChanged(l), check, `${what} (status ${JSON.stringify(s.status())})`, ms);

const labOf = (s: LocalLabSource, name: string): Lab | undefined => s.labs().find((l) => l.name === name);
const nodeOf = (s: LocalLabSource, lab: string, node: string): LabNode | undefined =>
  labOf(s, lab)?.nodes.find((n) => n.name === node);
const listening = (n: LabNode | undefined) => n?.ports.filter((p) => p.source === 'listening').map((p) => p.port).join();

describe('LocalLabSource against the real Docker', () => {
  const LAB = `lls${RUN}`;
  let lab: TestLab;

  beforeAll(async () => {
    lab = await startLab({
      lab: LAB,
      topoFile: `/tmp/labs/${LAB}.clab.yml`,
      nodes: [
        { name: 'srl1', kind: 'nokia_srlinux', type: 'ixrd3' },
        { name: 'r2', kind: 'linux' },
        { name: 'r3', kind: 'linux' },
      ],
    });
    labs.push(lab);
  });

  it('discovers a running lab: names, kinds, addresses, state, listening ports and kind hints', async () => {
    const s = newSource();
    await s.start();
    expect(s.status()).toMatchObject({ id: 'local', label: 'This computer', state: 'connected' });
    const found = await until(
      s,
      () => {
        const l = labOf(s, LAB);
        return l && l.nodes.length === 3 && l.nodes.every((n) => listening(n) === '7,80,8080') && l;
      },
      'the lab with ports 7, 80, 8080 on every node',
    );
    expect(found.host).toBe('local');
    expect(found.topologyFile).toBe(`/tmp/labs/${LAB}.clab.yml`);
    expect(found.nodes.map((n) => [n.name, n.containerName, n.kind, n.type, n.image, n.state])).toEqual([
      ['r2', `clab-${LAB}-r2`, 'linux', '', TEST_IMAGE, 'running'],
      ['r3', `clab-${LAB}-r3`, 'linux', '', TEST_IMAGE, 'running'],
      ['srl1', `clab-${LAB}-srl1`, 'nokia_srlinux', 'ixrd3', TEST_IMAGE, 'running'],
    ]);
    for (const n of found.nodes) {
      expect(n.ipv4).toBe(await lab.ip(n.name));
      expect(n.containerId).toBe(lab.containers.find((c) => c.node === n.name)?.id);
    }
    expect(found.nodes[2].ports).toEqual([
      { port: 7, protocol: 'tcp', source: 'listening' },
      { port: 22, protocol: 'tcp', source: 'hint', service: 'ssh' },
      { port: 80, protocol: 'tcp', source: 'listening', service: 'http' },
      { port: 161, protocol: 'udp', source: 'hint', service: 'snmp' },
      { port: 443, protocol: 'tcp', source: 'hint', service: 'JSON-RPC' },
      { port: 830, protocol: 'tcp', source: 'hint', service: 'NETCONF' },
      { port: 8080, protocol: 'tcp', source: 'listening', service: 'http-alt' },
      { port: 57400, protocol: 'tcp', source: 'hint', service: 'gNMI' },
    ]);
    expect(s.logged.some((e) => e.level === 'info' && e.message.startsWith('connected to Docker at unix://'))).toBe(true);
  });

  it('lists with one call; a node whose image tag moved on still shows the name it was created from', async () => {
    // Tag the test image under a name of its own, start a node from it, then take the tag
    // away: Docker's list now says sha256:…, only an inspect knows the name.
    const tag = `clab-publisher-retag-${RUN}:v1`;
    await docker.getImage(TEST_IMAGE).tag({ repo: tag.split(':')[0], tag: 'v1' });
    const retagged = await startLab({ lab: `${LAB}rt`, image: tag, nodes: [{ name: 'old' }] });
    labs.push(retagged);
    await docker.getImage(tag).remove();
    const [item] = await docker.listContainers({ all: true, filters: { label: [`containerlab=${LAB}rt`] } });
    expect(item.Image).toMatch(/^sha256:/);

    const proxyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lls-count-'));
    temps.push(proxyDir);
    const proxy = new DockerProxy(proxyDir);
    await proxy.listen();
    try {
      const s = newSource(new Dockerode({ socketPath: proxy.socketPath }));
      await s.start();
      const node = await until(s, () => nodeOf(s, `${LAB}rt`, 'old')?.image === tag && nodeOf(s, `${LAB}rt`, 'old'), 'the node with its image name');
      expect(node.state).toBe('running');
      // One list call for the whole listing; this node is inspected once, for its name. (Other
      // test files' containers may be inspected meanwhile, on their own Docker events.)
      expect(proxy.requests.filter((r) => /^GET \/[^ ]*containers\/json/.test(r))).toHaveLength(1);
      expect(proxy.requests.filter((r) => r.includes(`/containers/${item.Id}/json`))).toHaveLength(1);
      const [other] = lab.containers;
      expect(proxy.requests.filter((r) => r.includes(`/containers/${other.id}/json`))).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });

  it('follows stop, start, rename and remove, and a lab created later, through Docker events', async () => {
    const s = newSource();
    await s.start();
    await until(s, () => listening(nodeOf(s, LAB, 'r2')) === '7,80,8080', 'r2 listening');

    await lab.stop('r2');
    const stopped = await until(s, () => nodeOf(s, LAB, 'r2')?.state === 'exited' && nodeOf(s, LAB, 'r2'), 'r2 exited');
    expect(stopped.ports).toEqual([]);
    expect(stopped.ipv4).toBeUndefined();

    await lab.start('r2');
    await until(s, () => nodeOf(s, LAB, 'r2')?.state === 'running', 'r2 running again');
    await until(s, () => listening(nodeOf(s, LAB, 'r2')) === '7,80,8080', 'r2 ports rescanned after start');

    const r3 = lab.containers.find((c) => c.node === 'r3')!;
    await docker.getContainer(r3.id).rename({ name: `clab-${LAB}-r3-renamed` });
    await until(s, () => nodeOf(s, LAB, 'r3')?.containerName === `clab-${LAB}-r3-renamed`, 'r3 renamed');

    await lab.removeNode('r3');
    await until(s, () => labOf(s, LAB)?.nodes.length === 2 && !nodeOf(s, LAB, 'r3'), 'r3 gone');

    const later = await startLab({ lab: `${LAB}b`, nodes: [{ name: 'n1', kind: 'ceos' }] });
    labs.push(later);
    await until(s, () => listening(nodeOf(s, `${LAB}b`, 'n1')) === '7,80,8080', 'the later lab with its ports');
    await later.remove();
    await until(s, () => !labOf(s, `${LAB}b`), 'the later lab gone');
  });

  it('shows the moment a fast restart takes a node down, then running again', async () => {
    const s = newSource();
    await s.start();
    await until(s, () => nodeOf(s, LAB, 'r2')?.state === 'running', 'r2 running');
    const seen: string[] = [];
    const off = s.onChanged(() => seen.push(nodeOf(s, LAB, 'r2')?.state ?? 'missing'));
    await lab.restart('r2');
    await until(s, () => seen.includes('exited') && nodeOf(s, LAB, 'r2')?.state === 'running', 'r2 down, then running');
    off();
    expect(seen.indexOf('exited')).toBeLessThan(seen.lastIndexOf('running'));
  });

  it('keeps kind hints only when the node has no cat to read its ports with', async () => {
    // The test image installs its applets (cat among them) from its init; skip the init.
    const name = `clab-${LAB}c-bare`;
    const c = await docker.createContainer({
      name,
      Image: TEST_IMAGE,
      Entrypoint: ['/bin/busybox', 'sleep', '3600'],
      Labels: { containerlab: `${LAB}c`, 'clab-node-name': 'bare', 'clab-node-kind': 'ceos' },
      HostConfig: { NetworkMode: lab.network },
    });
    labs.push({ remove: () => c.remove({ force: true }) } as TestLab);
    const log = recordingLogger();
    const s = newSource(docker, log);
    await s.start();
    await c.start();
    const bare = await until(s, () => nodeOf(s, `${LAB}c`, 'bare')?.state === 'running' && nodeOf(s, `${LAB}c`, 'bare'), 'bare running');
    const failed = await waitFor(
      (l) => log.onLog(l),
      () => log.entries.find((e) => e.message.startsWith('cannot read listening ports') && e.fields?.container === name),
      'the failed port read to be logged',
    );
    expect(failed.level).toBe('debug');
    expect(nodeOf(s, `${LAB}c`, 'bare')?.ports.map((p) => `${p.protocol}/${p.port}/${p.source}`)).toEqual(['tcp/22/hint', 'udp/161/hint', 'tcp/443/hint', 'tcp/830/hint', 'tcp/6030/hint']);
    expect(bare.ipv4).toBeTruthy();
  });

  it('reads UDP services (snmpd, rsyslog, an echo) from the node\'s UDP tables, as ports of their own', async () => {
    const udpLab = await startLab({ lab: `${LAB}u`, image: DEBIAN_IMAGE, nodes: [udpServicesNode('agent', 'nokia_srlinux')] });
    labs.push(udpLab);
    const s = newSource();
    await s.start();
    const agent = await until(
      s,
      () => {
        const n = nodeOf(s, `${LAB}u`, 'agent');
        return n?.ports.some((p) => p.protocol === 'udp' && p.port === 514 && p.source === 'listening') && n;
      },
      'UDP 514 seen listening on the agent',
      20_000,
    );
    const udp = agent.ports.filter((p) => p.protocol === 'udp').map((p) => `${p.port}/${p.source}/${p.service ?? ''}`);
    expect(udp).toEqual(['7/listening/', '161/listening/snmp', '514/listening/syslog']);
    // On TCP only snmpd's SMUX port listens; the kind's other TCP ports stay hints.
    expect(agent.ports.filter((p) => p.protocol === 'tcp' && p.source === 'listening').map((p) => p.port)).toEqual([199]);
  });
});

describe('LocalLabSource when Docker is unreachable', () => {
  it('says what happened and what to do for a socket that does not exist', async () => {
    const sock = path.join(os.tmpdir(), `no-docker-${RUN}.sock`);
    const s = newSource(new Dockerode({ socketPath: sock }));
    const before = Date.now();
    await s.start();
    const st = s.status();
    expect(st).toMatchObject({ id: 'local', label: 'This computer', state: 'unreachable' });
    expect(st.error).toContain(`cannot reach Docker at unix://${sock}`);
    expect(st.error).toContain('ENOENT');
    expect(st.hint).toContain('sudo systemctl start docker');
    expect(st.hint).toContain('DOCKER_HOST');
    expect(st.nextRetryAt).toBeGreaterThanOrEqual(before + 700);
    expect(st.nextRetryAt).toBeLessThanOrEqual(Date.now() + 1300);
    expect(s.labs()).toEqual([]);
    expect(s.logged.some((e) => e.level === 'info' && e.message.startsWith('cannot reach Docker'))).toBe(true);
  });

  it('clears the labs when the connection breaks and resyncs when Docker is back', async () => {
    const LAB = `llr${RUN}`;
    const lab = await startLab({ lab: LAB, nodes: [{ name: 'n1' }] });
    labs.push(lab);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-pub-proxy-'));
    temps.push(dir);
    const proxy = new DockerProxy(dir);
    await proxy.listen();
    try {
      const s = newSource(new Dockerode({ socketPath: proxy.socketPath }));
      await s.start();
      await until(s, () => listening(nodeOf(s, LAB, 'n1')) === '7,80,8080', 'the lab through the proxy');

      await proxy.close();
      const down = await until(s, () => s.status().state === 'unreachable' && s.status(), 'unreachable after the cut');
      expect(down.error).toContain(`lost the connection to Docker at unix://${proxy.socketPath}`);
      expect(down.hint).toBeTruthy();
      expect(down.nextRetryAt).toBeGreaterThan(Date.now() - 100);
      expect(s.labs()).toEqual([]);
      expect(s.logged.some((e) => e.level === 'info' && e.message.startsWith('lost the connection'))).toBe(true);

      await proxy.listen();
      await until(s, () => s.status().state === 'connected' && listening(nodeOf(s, LAB, 'n1')) === '7,80,8080', 'connected again with the lab', 15_000);
      expect(s.status().error).toBeUndefined();
      expect(nodeOf(s, LAB, 'n1')?.ipv4).toBe(await lab.ip('n1'));
    } finally {
      await Promise.all(sources.splice(0).map((x) => x.dispose()));
      await proxy.close();
    }
  });
});
