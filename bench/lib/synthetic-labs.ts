/**
 * Labs without containers, for the UI bench: a stand-in Docker Engine API on a unix socket
 * (what the real host needs of it: the container listing and an event stream that stays
 * open) lists LABS × NODES_PER_LAB "containerlab" nodes, each a Node echo server on every
 * port of `ports` at its own 127.77.x.y address, with the same topology files as the scale
 * labs (auto-publish: 1,000 publications). The real host (`dist-host/cli.js serve`) runs with
 * DOCKER_HOST pointing here, so its core, tunnels and counters are the real ones; only Docker
 * and the nodes are stand-ins. Starts in a second instead of creating 200 containers.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { onCleanup } from './procs';
import { LABS, NODES_PER_LAB, topologyFile } from './scale-lab';
import { benchTmp } from './tmp';

export interface SyntheticLabs {
  /** `unix://…` for the host's DOCKER_HOST. */
  dockerHost: string;
  /** Lab name → node names. */
  nodes: Record<string, string[]>;
  publications: number;
  /** The ports every node echoes on (its publications). */
  ports: number[];
}

/** The node's address on the loopback network: 127.77.<lab>.<node + 1>. */
const nodeIp = (lab: number, node: number) => `127.77.${lab}.${node + 1}`;

/** `count` ports free on every address (bound on 0.0.0.0 for a moment by the kernel's choice). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject).listen(0, '0.0.0.0', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export async function startSyntheticLabs(prefix: string, portCount = 5): Promise<SyntheticLabs> {
  const dir = benchTmp('synthetic-labs');
  const ports = await freePorts(portCount);
  const sockets = new Set<net.Socket>();
  const echo = (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    s.pipe(s);
  };
  const nodes: Record<string, string[]> = {};
  const containers: object[] = [];
  for (let l = 0; l < LABS; l++) {
    const lab = `${prefix}l${l}`;
    nodes[lab] = Array.from({ length: NODES_PER_LAB }, (_, i) => `${lab}n${String(i + 1).padStart(2, '0')}`);
    const topoFile = path.join(dir, `${lab}.clab.yml`);
    fs.writeFileSync(topoFile, topologyFile(lab, nodes[lab], ports));
    nodes[lab].forEach((node, n) => {
      const name = `clab-${lab}-${node}`;
      containers.push({
        Id: `${l.toString(16).padStart(2, '0')}${n.toString(16).padStart(2, '0')}`.padEnd(64, 'a'),
        Names: [`/${name}`],
        Image: 'clab-publisher-test-node:latest',
        State: 'running',
        Status: 'Up 5 minutes',
        Labels: { containerlab: lab, 'clab-node-name': node, 'clab-node-longname': name, 'clab-node-kind': 'linux', 'clab-topo-file': topoFile },
        NetworkSettings: { Networks: { clab: { NetworkID: 'b'.repeat(64), IPAddress: nodeIp(l, n) } } },
      });
    });
  }
  const close: (() => Promise<void>)[] = [];
  onCleanup(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(close.map((c) => c()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  for (let l = 0; l < LABS; l++) {
    for (let n = 0; n < NODES_PER_LAB; n++) {
      for (const port of ports) {
        // A net.Server listens on one address: one per node and port (1,000 handles, no threads).
        const srv = net.createServer({ noDelay: true }, echo);
        await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(port, nodeIp(l, n), resolve));
        close.push(() => new Promise((r) => srv.close(() => r())));
      }
    }
  }

  const socketPath = path.join(dir, 'docker.sock');
  const streams = new Set<http.ServerResponse>();
  const docker = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://docker');
    const route = url.pathname.replace(/^\/v[\d.]+/, '');
    if (req.method === 'GET' && route === '/containers/json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(containers));
    }
    if (req.method === 'GET' && route === '/events') {
      // Nothing ever changes; the stream stays open as Docker's does (its end means Docker left).
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    // Port scans (exec) and anything else: the node keeps its kind's hints, as with a node without `cat`.
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `the bench's Docker stand-in has no ${req.method} ${route}` }));
  });
  await new Promise<void>((resolve, reject) => docker.once('error', reject).listen(socketPath, resolve));
  close.push(async () => {
    for (const s of streams) s.destroy();
    docker.closeAllConnections();
    await new Promise((r) => docker.close(() => r(undefined)));
  });
  return { dockerHost: `unix://${socketPath}`, nodes, publications: LABS * NODES_PER_LAB * ports.length, ports };
}
