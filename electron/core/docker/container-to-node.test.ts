import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import {
  containerToNode,
  factsFromInspect,
  factsFromListItem,
  imageIsId,
  upForMs,
  groupLabs,
  mgmtAddresses,
  nodeNameFromContainer,
  nodePorts,
  type ContainerFacts,
} from './container-to-node';

const CLAB_NET = '5e4f0d3ab2c1f0e9d8c7b6a5948372615e4f0d3ab2c1f0e9d8c7b6a594837261';

/** Trimmed `docker inspect` of an SR Linux node as containerlab creates it. */
function srlInspect(over: Partial<{ status: string; labels: Record<string, string> }> = {}): Dockerode.ContainerInspectInfo {
  return {
    Id: 'abc123',
    Name: '/clab-srl01-leaf1',
    Image: 'sha256:1111',
    State: { Status: over.status ?? 'running', StartedAt: '2024-05-01T10:00:00.123456789Z' },
    Config: {
      Image: 'ghcr.io/nokia/srlinux:24.3.1',
      Labels: over.labels ?? {
        containerlab: 'srl01',
        'clab-node-name': 'leaf1',
        'clab-node-longname': 'clab-srl01-leaf1',
        'clab-node-kind': 'nokia_srlinux',
        'clab-node-type': 'ixrd2l',
        'clab-node-group': '',
        'clab-node-lab-dir': '/home/u/labs/clab-srl01/leaf1',
        'clab-topo-file': '/home/u/labs/srl01.clab.yml',
        'clab-mgmt-net-bridge': `br-${CLAB_NET.slice(0, 12)}`,
      },
    },
    NetworkSettings: {
      Networks: {
        // A second network first, to show the management one is picked on purpose.
        aaa_extra: { NetworkID: 'ffff', IPAddress: '10.9.9.9', GlobalIPv6Address: '' },
        clab: { NetworkID: CLAB_NET, IPAddress: '172.20.20.3', GlobalIPv6Address: '3fff:172:20:20::3' },
      },
    },
  } as unknown as Dockerode.ContainerInspectInfo;
}

describe('containerToNode', () => {
  it('maps an inspected containerlab node with its listening ports and kind hints', () => {
    const node = containerToNode(factsFromInspect(srlInspect()), { tcp: [22, 80, 57400], udp: [] });
    expect(node).toEqual({
      name: 'leaf1',
      containerName: 'clab-srl01-leaf1',
      containerId: 'abc123',
      kind: 'nokia_srlinux',
      type: 'ixrd2l',
      image: 'ghcr.io/nokia/srlinux:24.3.1',
      state: 'running',
      ipv4: '172.20.20.3',
      ipv6: '3fff:172:20:20::3',
      ports: [
        { port: 22, protocol: 'tcp', source: 'listening', service: 'ssh' },
        { port: 80, protocol: 'tcp', source: 'listening', service: 'http' },
        { port: 161, protocol: 'udp', source: 'hint', service: 'snmp' },
        { port: 443, protocol: 'tcp', source: 'hint', service: 'JSON-RPC' },
        { port: 830, protocol: 'tcp', source: 'hint', service: 'NETCONF' },
        { port: 57400, protocol: 'tcp', source: 'listening', service: 'gNMI' },
      ],
    });
  });

  it('shows only hints when the ports were not read, and keeps a stopped state', () => {
    const node = containerToNode(factsFromInspect(srlInspect({ status: 'exited' })));
    expect(node.state).toBe('exited');
    expect(node.ports.every((p) => p.source === 'hint')).toBe(true);
    expect(node.ports.map((p) => `${p.protocol}/${p.port}`)).toEqual(['tcp/22', 'udp/161', 'tcp/443', 'tcp/830', 'tcp/57400']);
  });

  it('does not need the optional labels: name from the container name, empty kind and type', () => {
    const node = containerToNode(factsFromInspect(srlInspect({ labels: { containerlab: 'srl01' } })), { tcp: [80], udp: [] });
    expect(node).toMatchObject({ name: 'leaf1', kind: '', type: '', ports: [{ port: 80, protocol: 'tcp', source: 'listening', service: 'http' }] });
  });

  it('maps a list item the same way', () => {
    const item = {
      Id: 'def456',
      Names: ['/clab-srl01-client'],
      Image: 'alpine:3',
      State: 'paused',
      Labels: { containerlab: 'srl01', 'clab-node-name': 'client', 'clab-node-kind': 'linux' },
      NetworkSettings: { Networks: { clab: { NetworkID: CLAB_NET, IPAddress: '172.20.20.9', GlobalIPv6Address: '' } } },
    } as unknown as Dockerode.ContainerInfo;
    const node = containerToNode(factsFromListItem(item), { tcp: [8080], udp: [] });
    expect(node).toMatchObject({ name: 'client', containerName: 'clab-srl01-client', state: 'paused', ipv4: '172.20.20.9' });
    expect(node.ipv6).toBeUndefined();
    expect(node.ports).toEqual([{ port: 8080, protocol: 'tcp', source: 'listening', service: 'http-alt' }]);
  });

  it('treats an unknown Docker state as dead rather than inventing one', () => {
    expect(containerToNode(factsFromInspect(srlInspect({ status: 'weird' }))).state).toBe('dead');
  });
});

describe('mgmtAddresses', () => {
  const facts = (labels: Record<string, string>, networks: ContainerFacts['networks']): ContainerFacts => ({
    id: 'x', name: 'x', image: 'i', state: 'running', labels, networks,
  });
  it('prefers the network whose default bridge name the label gives', () => {
    const n = { a: { NetworkID: '111111111111aaaa', IPAddress: '10.0.0.2' }, b: { NetworkID: '222222222222bbbb', IPAddress: '10.0.1.2' } };
    expect(mgmtAddresses(facts({ 'clab-mgmt-net-bridge': 'br-222222222222' }, n)).ipv4).toBe('10.0.1.2');
  });
  it('falls back to the network named clab, then the first network with an address', () => {
    expect(mgmtAddresses(facts({}, { a: { IPAddress: '10.0.0.2' }, clab: { IPAddress: '172.20.20.2' } })).ipv4).toBe('172.20.20.2');
    expect(mgmtAddresses(facts({}, { none: { IPAddress: '' }, b: { IPAddress: '10.0.1.2' } })).ipv4).toBe('10.0.1.2');
    expect(mgmtAddresses(facts({}, { host: { IPAddress: '' } }))).toEqual({});
  });
});

describe('nodeNameFromContainer', () => {
  it('undoes every containerlab prefix form', () => {
    expect(nodeNameFromContainer('clab-lab1-r1', 'lab1')).toBe('r1');
    expect(nodeNameFromContainer('acme-lab1-r1', 'lab1')).toBe('r1');
    expect(nodeNameFromContainer('lab1-r1', 'lab1')).toBe('r1');
    expect(nodeNameFromContainer('r1', 'lab1')).toBe('r1');
    expect(nodeNameFromContainer('mylab1-r1', 'lab1')).toBe('mylab1-r1');
  });
});

describe('nodePorts', () => {
  it('names a listening port after the kind hint and dedupes', () => {
    expect(nodePorts('ceos', { tcp: [443, 443, 6030], udp: [] })).toEqual([
      { port: 22, protocol: 'tcp', source: 'hint', service: 'ssh' },
      { port: 161, protocol: 'udp', source: 'hint', service: 'snmp' },
      { port: 443, protocol: 'tcp', source: 'listening', service: 'eAPI' },
      { port: 830, protocol: 'tcp', source: 'hint', service: 'NETCONF' },
      { port: 6030, protocol: 'tcp', source: 'listening', service: 'gNMI' },
    ]);
  });
  it('shows UDP ports as their own ports, named by their UDP service, beside a TCP port of the same number', () => {
    expect(nodePorts('linux', { tcp: [161, 514], udp: [69, 161, 162, 514, 2055, 4739, 6343, 5000] })).toEqual([
      { port: 69, protocol: 'udp', source: 'listening', service: 'tftp' },
      { port: 161, protocol: 'tcp', source: 'listening', service: 'snmp' },
      { port: 161, protocol: 'udp', source: 'listening', service: 'snmp' },
      { port: 162, protocol: 'udp', source: 'listening', service: 'snmp-trap' },
      // TCP 514 is rsh, not syslog: only the UDP one is named so.
      { port: 514, protocol: 'tcp', source: 'listening' },
      { port: 514, protocol: 'udp', source: 'listening', service: 'syslog' },
      { port: 2055, protocol: 'udp', source: 'listening', service: 'NetFlow' },
      { port: 4739, protocol: 'udp', source: 'listening', service: 'IPFIX' },
      { port: 5000, protocol: 'udp', source: 'listening' },
      { port: 6343, protocol: 'udp', source: 'listening', service: 'sFlow' },
    ]);
  });
  it('turns the SNMP hint of a network OS into a listening port once snmpd binds UDP 161', () => {
    const ports = nodePorts('srl', { tcp: [22], udp: [161] });
    expect(ports.filter((p) => p.port === 161)).toEqual([{ port: 161, protocol: 'udp', source: 'listening', service: 'snmp' }]);
  });
  it('leaves the service out for an unknown port', () => {
    expect(nodePorts('linux', { tcp: [4242], udp: [] })).toEqual([{ port: 4242, protocol: 'tcp', source: 'listening' }]);
  });
});

describe('groupLabs', () => {
  it('groups by the containerlab label with the topology file, sorted', () => {
    const a = factsFromInspect(srlInspect());
    const b: ContainerFacts = { ...a, id: 'b', name: 'clab-srl01-leaf0', labels: { containerlab: 'srl01', 'clab-node-name': 'leaf0' } };
    const c: ContainerFacts = { ...a, id: 'c', name: 'clab-alpha-n1', labels: { containerlab: 'alpha' } };
    const labs = groupLabs('local', [a, b, c].map((facts) => ({ facts, node: containerToNode(facts) })));
    expect(labs.map((l) => [l.name, l.host, l.topologyFile, l.nodes.map((n) => n.name)])).toEqual([
      ['alpha', 'local', undefined, ['n1']],
      ['srl01', 'local', '/home/u/labs/srl01.clab.yml', ['leaf0', 'leaf1']],
    ]);
  });
});

describe('upForMs (Docker list status text)', () => {
  it('reads short uptimes, caps the rest at a minute, and knows a stopped container has none', () => {
    expect(upForMs('Up Less than a second')).toBe(0);
    expect(upForMs('Up 1 second')).toBe(1000);
    expect(upForMs('Up 42 seconds (health: starting)')).toBe(42_000);
    expect(upForMs('Up About a minute')).toBe(60_000);
    expect(upForMs('Up 3 minutes (healthy)')).toBe(180_000);
    expect(upForMs('Up 2 hours')).toBe(60_000);
    expect(upForMs('Exited (0) 5 seconds ago')).toBeUndefined();
    expect(upForMs('Created')).toBeUndefined();
  });

  it('tells an image ID from an image name', () => {
    expect(imageIsId(`sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(imageIsId('b'.repeat(64))).toBe(true);
    expect(imageIsId('ghcr.io/nokia/srlinux:24.10')).toBe(false);
    expect(imageIsId('clab-publisher-test-node:latest')).toBe(false);
  });
});
