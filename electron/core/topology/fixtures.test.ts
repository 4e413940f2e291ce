/**
 * containerlab's own topology files (shared/fixtures/containerlab-topologies, copied unchanged)
 * as input no one on this team wrote. Expected values below were read off the files by hand,
 * applying containerlab's rules; they are literals on purpose.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TopologyReport } from '../../../shared/topology-model';
import { loadTopology } from './load-topology';
import { TopologyFileError } from './topology-file-error';

const CORPUS = path.resolve(__dirname, '../../../../shared/fixtures/containerlab-topologies');
const TEMPLATES: Record<string, { line: number; column: number; text: string }> = {
  'tests_01-smoke_29-apply.clab.yml': { line: 14, column: 1, text: '{{- if .deployDrift }}' },
  'tests_13-srsim_11-srsim-apply.clab.yml': { line: 48, column: 1, text: '{{- if .addNode }}' },
};

function corpusFiles(): string[] {
  if (!fs.existsSync(CORPUS)) {
    throw new Error(`the containerlab topology corpus is missing: expected it at ${CORPUS} (shared/fixtures/containerlab-topologies beside the repository)`);
  }
  return fs.readdirSync(CORPUS).filter((f) => /\.clab\.ya?ml$/.test(f)).sort();
}

const load = (file: string, env: Record<string, string> = {}) => loadTopology(path.join(CORPUS, file), { env });
const names = (r: TopologyReport) => r.nodes.map((n) => [n.name, n.kind, n.containerName]);

describe('the containerlab corpus', () => {
  let files: string[] = [];
  beforeAll(() => {
    files = corpusFiles();
  });

  it('is there, with the files SOURCE.md describes', () => {
    expect(files.length).toBeGreaterThan(90);
    for (const f of Object.keys(TEMPLATES)) expect(files).toContain(f);
  });

  it('loads every file except exactly the two templates that are not YAML until rendered', async () => {
    const failures: Record<string, unknown> = {};
    for (const f of files) {
      try {
        const r = await load(f);
        expect(r.nodes.length, f).toBeGreaterThan(0);
        expect(r.diagnostics.filter((d) => d.severity === 'error'), f).toEqual([]);
      } catch (err) {
        failures[f] = err instanceof TopologyFileError ? { kind: err.kind, line: err.line, column: err.column, text: err.text } : String(err);
      }
    }
    expect(failures).toEqual(Object.fromEntries(Object.entries(TEMPLATES).map(([f, loc]) => [f, { kind: 'template', ...loc }])));
  });

  it('says a template is a template, with its location and what to do', async () => {
    const err = await load('tests_01-smoke_29-apply.clab.yml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TopologyFileError);
    expect((err as TopologyFileError).message).toMatch(/Go template .*not valid YAML until rendered/);
    expect((err as TopologyFileError).hint).toMatch(/render/);
  });

  it('loads the third template (blocks inside quoted strings) with a warning at its first block', async () => {
    const r = await load('tests_01-smoke_30-bridge-reconcile.clab.yml');
    expect(names(r)).toEqual([
      ['n1', 'linux', 'clab-bridge-reconcile-n1'],
      ['br-30-reconcile', 'bridge', 'clab-bridge-reconcile-br-30-reconcile'],
    ]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 19, column: 38, text: '{{ if .remap }}' })]);
  });
});

describe('names as containerlab computes them', () => {
  beforeAll(() => void corpusFiles());

  it('prefix from ${CLAB_PREFIX:=""}: unset gives "" (the node name alone), set gives that prefix', async () => {
    const r = await load('lab-examples_srl-quickstart_srl01.clab.yml');
    // The file is srl01 but the lab inside is named srl.
    expect([r.labName, r.prefix, r.labDir]).toEqual(['srl', '', 'clab-srl']);
    expect(names(r)).toEqual([['srl', 'nokia_srlinux', 'srl']]);
    expect(r.nodes[0]).toMatchObject({ image: 'ghcr.io/nokia/srlinux:latest', type: 'ixr-d3l' });
    expect(names(await load('lab-examples_srl-quickstart_srl01.clab.yml', { CLAB_PREFIX: 'acme' }))).toEqual([['srl', 'nokia_srlinux', 'acme-srl-srl']]);
    expect(names(await load('lab-examples_srl-quickstart_srl01.clab.yml', { CLAB_PREFIX: '__lab-name' }))).toEqual([['srl', 'nokia_srlinux', 'srl-srl']]);
    const custom = await load('lab-examples_srl-quickstart_srl01.clab.yml', { SRL_IMAGE: 'registry.local/srl', SRL_VERSION: '24.10.1', SRL_TYPE: 'ixr-h2' });
    expect(custom.nodes[0]).toMatchObject({ image: 'registry.local/srl:24.10.1', type: 'ixr-h2' });
  });

  it('srl02 quickstart: two nodes named as themselves', async () => {
    const r = await load('lab-examples_srl-quickstart_srl02.clab.yml');
    expect(r.labName).toBe('srl2');
    expect(names(r)).toEqual([
      ['srl1', 'nokia_srlinux', 'srl1'],
      ['srl2', 'nokia_srlinux', 'srl2'],
    ]);
  });

  it('prefix: "" written literally', async () => {
    const r = await load('tests_06-ext-container_02-shared-namespace-ext.clab.yaml');
    expect([r.labName, r.prefix]).toEqual(['shared-namespace-ext', '']);
    expect(names(r)).toEqual([['ext-node', 'linux', 'ext-node']]);
  });

  it('no prefix, image and type from topology.kinds', async () => {
    const r = await load('lab-examples_srl01_srl01.clab.yml');
    expect([r.labName, r.prefix, r.mgmt]).toEqual(['srl01', undefined, { network: 'clab' }]);
    expect(names(r)).toEqual([['srl', 'nokia_srlinux', 'clab-srl01-srl']]);
    expect(r.nodes[0]).toMatchObject({ image: 'ghcr.io/nokia/srlinux', type: 'ixr-d3l' });
  });

  it('groups give kind and image', async () => {
    const r = await load('lab-examples_frr01_frr01.clab.yml');
    expect(r.nodes.map((n) => [n.name, n.kind, n.group, n.image, n.containerName])).toEqual([
      ['router1', 'linux', 'routers', 'quay.io/frrouting/frr:10.5.1', 'clab-frr01-router1'],
      ['router2', 'linux', 'routers', 'quay.io/frrouting/frr:10.5.1', 'clab-frr01-router2'],
      ['router3', 'linux', 'routers', 'quay.io/frrouting/frr:10.5.1', 'clab-frr01-router3'],
      ['PC1', 'linux', 'hosts', 'wbitt/network-multitool:3.22.2', 'clab-frr01-PC1'],
      ['PC2', 'linux', 'hosts', 'wbitt/network-multitool:3.22.2', 'clab-frr01-PC2'],
      ['PC3', 'linux', 'hosts', 'wbitt/network-multitool:3.22.2', 'clab-frr01-PC3'],
    ]);
  });

  it('a group from defaults, and a kind from that group', async () => {
    const r = await load('tests_01-smoke_24-basic-groups.clab.yaml');
    expect(r.nodes.map((n) => [n.name, n.kind, n.group, n.image, n.containerName])).toEqual([
      ['l1', 'linux', 'g1', 'alpine:3', 'clab-2-linux-nodes-l1'],
      ['l2', 'linux', 'g2', 'nginx:stable-alpine', 'clab-2-linux-nodes-l2'],
      ['l3', 'linux', 'g3', 'nginx:stable-alpine', 'clab-2-linux-nodes-l3'],
    ]);
  });

  it('kind and image from defaults, for nodes with settings and for empty ones', async () => {
    const sros = await load('lab-examples_vr05_sros4.clab.yml');
    expect(sros.labName).toBe('conf1');
    expect(sros.nodes.map((n) => [n.name, n.kind, n.image, n.containerName])).toEqual([
      ['sr1', 'nokia_sros', 'vrnetlab/vr-sros:21.2.R1', 'clab-conf1-sr1'],
      ['sr2', 'nokia_sros', 'vrnetlab/vr-sros:21.2.R1', 'clab-conf1-sr2'],
      ['sr3', 'nokia_sros', 'vrnetlab/vr-sros:21.2.R1', 'clab-conf1-sr3'],
      ['sr4', 'nokia_sros', 'vrnetlab/vr-sros:21.2.R1', 'clab-conf1-sr4'],
    ]);
    const filter = await load('tests_01-smoke_node-filter.clab.yml');
    expect(filter.nodes.map((n) => [n.name, n.kind, n.image, n.containerName])).toEqual([
      ['node1', 'linux', 'alpine:3', 'clab-node-filter-node1'],
      ['node2', 'linux', 'alpine:3', 'clab-node-filter-node2'],
      ['node3', 'linux', 'alpine:3', 'clab-node-filter-node3'],
      ['node4', 'linux', 'alpine:3', 'clab-node-filter-node4'],
    ]);
  });

  it('an unset ${VAR} stays as written; a set one is used', async () => {
    const unset = await load('tests_13-srsim_01-srsim.clab.yml');
    expect(unset.nodes.find((n) => n.name === 'sros')?.image).toBe('registry.srlinux.dev/pub/nokia_srsim:${SRSIM_IMAGE_TAG}');
    const set = await load('tests_13-srsim_01-srsim.clab.yml', { SRSIM_IMAGE_TAG: '25.7.R1' });
    expect(set.nodes.find((n) => n.name === 'sros')?.image).toBe('registry.srlinux.dev/pub/nokia_srsim:25.7.R1');
    expect(names(set)).toEqual([
      ['l1', 'linux', 'clab-sr01-l1'],
      ['sros', 'nokia_srsim', 'clab-sr01-sros'],
    ]);
  });

  it('ext-container nodes keep their own name; bridges, the host and kind clusters run no container', async () => {
    expect(names(await load('tests_06-ext-container_01-ext-container.clab.yml'))).toEqual([
      ['ext1', 'ext-container', 'ext1'],
      ['ext2', 'ext-container', 'ext2'],
    ]);
    const k8s = await load('lab-examples_k8s_kind01_k8s_kind01.clab.yml');
    expect(k8s.nodes.map((n) => [n.name, n.containerName, n.noContainer ?? false])).toEqual([
      ['srl01', 'clab-kind01-srl01', false],
      ['k01', 'clab-kind01-k01', true],
      ['k02', 'clab-kind01-k02', true],
      ['k01-control-plane', 'k01-control-plane', false],
      ['k01-worker', 'k01-worker', false],
      ['k02-control-plane', 'k02-control-plane', false],
    ]);
    const br = await load('tests_01-smoke_03-linux-nodes-to-bridge-and-host.clab.yml');
    expect(br.nodes.map((n) => [n.name, n.kind, n.noContainer ?? false])).toEqual([
      ['l1', 'linux', false],
      ['br-01-03-clab', 'bridge', true],
      ['hostnode', 'host', true],
    ]);
  });

  it('reads mgmt as written', async () => {
    const r = await load('lab-examples_sr-sim_lab-distributed-components.clab.yaml');
    expect(r.mgmt).toEqual({ network: 'srsim_mgmt', ipv4Subnet: '10.78.140.0/24' });
  });
});
