/**
 * The scale scenario's labs: LABS labs of NODES_PER_LAB real containers (the test image,
 * each node echoing on every port of PORTS), all on one lab network, each lab with a
 * containerlab topology file whose defaults publish every port: auto-publish turns them into
 * LABS × NODES_PER_LAB × PORTS.length publications as soon as a core sees the labs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestLab } from '../../test-support/lab-containers';
import { benchLab } from './containers';
import { checkAborted } from './procs';
import { benchTmp } from './tmp';

export const LABS = 10;
export const NODES_PER_LAB = 20;
export const PORTS = [7, 8080, 22, 830, 57400];

export interface ScaleLabs {
  labs: TestLab[];
  /** Lab name → node names. */
  nodes: Record<string, string[]>;
  publications: number;
  createMs: number;
  /** Address of a node on the lab network, for echoes straight to it. */
  ip(lab: string, node: string): Promise<string>;
}

/** The node's init: busybox applets, then a byte-exact echo on every port (the test image has 3). */
const NODE_CMD = ['/bin/busybox', 'sh', '-c', `/bin/busybox --install -s /bin; ${PORTS.map((p) => `nc -ll -p ${p} -e cat &`).join(' ')} exec sleep 2147483647`];

export function topologyFile(lab: string, nodes: string[], ports = PORTS): string {
  return [
    `name: ${lab}`,
    'topology:',
    '  defaults:',
    '    kind: linux',
    '    image: clab-publisher-test-node:latest',
    '    publish:',
    ...ports.map((p) => `      - tcp/${p}`),
    '  nodes:',
    ...nodes.map((n) => `    ${n}: {}`),
    '',
  ].join('\n');
}

export async function startScaleLabs(prefix: string): Promise<ScaleLabs> {
  const dir = benchTmp('topologies');
  const t0 = performance.now();
  const labs: TestLab[] = [];
  const nodes: Record<string, string[]> = {};
  // One network for all (ten bridges would eat into Docker's address pools the other tests share).
  const network = `clab-publisher-bench-${prefix}`;
  for (let l = 0; l < LABS; l++) {
    checkAborted();
    const lab = `${prefix}l${l}`;
    nodes[lab] = Array.from({ length: NODES_PER_LAB }, (_, i) => `${lab}n${String(i + 1).padStart(2, '0')}`);
    const topoFile = path.join(dir, `${lab}.clab.yml`);
    fs.writeFileSync(topoFile, topologyFile(lab, nodes[lab]));
    labs.push(await benchLab({ lab, nodes: nodes[lab].map((name) => ({ name })), topoFile, network, entrypoint: NODE_CMD }));
  }
  return {
    labs,
    nodes,
    publications: LABS * NODES_PER_LAB * PORTS.length,
    createMs: performance.now() - t0,
    ip: (lab, node) => labs.find((l) => l.lab === lab)!.ip(node),
  };
}
