import type Dockerode from 'dockerode';
import type { Lab, LabNode, NodePort, NodeState, Transport } from '../../../shared/model';
import { portHintsForKind, serviceForPort } from '../../../shared/kind-ports';

/** The label containerlab puts on every node container; its value is the lab name. */
export const LAB_LABEL = 'containerlab';

interface NetworkFacts {
  NetworkID?: string;
  IPAddress?: string;
  GlobalIPv6Address?: string;
}

/** What discovery needs from a container, whether it came from inspect or from list. */
export interface ContainerFacts {
  id: string;
  /** Without Docker's leading `/`. */
  name: string;
  image: string;
  labels: Record<string, string>;
  state: string;
  /** Epoch ms the container last started, when known (inspect only). */
  startedAt?: number;
  /** How long it has been up, roughly, from the list's status text ("Up 5 seconds"). */
  upForMs?: number;
  networks: Record<string, NetworkFacts>;
}

export function factsFromInspect(i: Dockerode.ContainerInspectInfo): ContainerFacts {
  const started = Date.parse(i.State?.StartedAt ?? '');
  return {
    id: i.Id,
    name: i.Name.replace(/^\//, ''),
    image: i.Config?.Image ?? i.Image,
    labels: i.Config?.Labels ?? {},
    state: i.State?.Status ?? '',
    // Docker reports 0001-01-01 for a container that never started.
    startedAt: started > 0 ? started : undefined,
    networks: i.NetworkSettings?.Networks ?? {},
  };
}

export function factsFromListItem(c: Dockerode.ContainerInfo): ContainerFacts {
  const facts: ContainerFacts = {
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
    image: c.Image,
    labels: c.Labels ?? {},
    state: c.State,
    networks: c.NetworkSettings?.Networks ?? {},
  };
  const up = upForMs(c.Status ?? '');
  if (up !== undefined) facts.upForMs = up;
  return facts;
}

/**
 * Docker's human status: "Up Less than a second", "Up 5 seconds", "Up About a minute",
 * "Up 3 minutes (healthy)". Only short uptimes matter (a node still opening its ports):
 * anything from a minute on is reported as such.
 */
export function upForMs(status: string): number | undefined {
  const m = /^Up (Less than a second|(\d+) seconds?|About a minute|(\d+) minutes?|.+)/.exec(status);
  if (!m) return undefined;
  if (m[1] === 'Less than a second') return 0;
  if (m[2]) return Number(m[2]) * 1000;
  if (m[3]) return Number(m[3]) * 60_000;
  return 60_000;
}

/**
 * The list gives an image ID instead of its name when the tag now points elsewhere (the image
 * was pulled again): then only an inspect tells the name the node was created from.
 */
export function imageIsId(image: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(image) || /^[0-9a-f]{64}$/.test(image);
}

const STATES: readonly NodeState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

/** What a container's socket tables showed: TCP listeners and bound UDP sockets. */
export interface ListeningPorts {
  tcp: number[];
  udp: number[];
}

/**
 * Maps one container to a lab node. `listening` is what the container's socket table showed
 * (undefined when not read, e.g. the node is stopped or has no `cat`): kind hints fill in then.
 */
export function containerToNode(c: ContainerFacts, listening?: ListeningPorts): LabNode {
  const kind = c.labels['clab-node-kind'] ?? '';
  const node: LabNode = {
    name: c.labels['clab-node-name'] || nodeNameFromContainer(c.name, c.labels[LAB_LABEL] ?? ''),
    containerName: c.name,
    containerId: c.id,
    kind,
    type: c.labels['clab-node-type'] ?? '',
    image: c.image,
    state: STATES.includes(c.state as NodeState) ? (c.state as NodeState) : 'dead',
    ports: nodePorts(kind, listening),
  };
  const { ipv4, ipv6 } = mgmtAddresses(c);
  if (ipv4) node.ipv4 = ipv4;
  if (ipv6) node.ipv6 = ipv6;
  return node;
}

/** Without `clab-node-name`: undo containerlab's `<prefix>-<lab>-<node>` naming. */
export function nodeNameFromContainer(containerName: string, lab: string): string {
  if (!lab) return containerName;
  const at = containerName.indexOf(`${lab}-`);
  const prefixed = at === 0 || (at > 0 && containerName[at - 1] === '-');
  return prefixed && containerName.length > at + lab.length + 1 ? containerName.slice(at + lab.length + 1) : containerName;
}

/**
 * The node's management addresses: those on the lab's management network when it can be
 * told apart (its bridge label names a Docker default bridge `br-<network id>` or the network
 * itself, or the network is containerlab's default `clab`), else the first network with one.
 */
export function mgmtAddresses(c: ContainerFacts): { ipv4?: string; ipv6?: string } {
  const bridge = c.labels['clab-mgmt-net-bridge'];
  const entries = Object.entries(c.networks).filter(([, n]) => n && (n.IPAddress || n.GlobalIPv6Address));
  const pick =
    entries.find(([name, n]) => bridge && (name === bridge || (n.NetworkID && `br-${n.NetworkID.slice(0, 12)}` === bridge))) ??
    entries.find(([name]) => name === 'clab') ??
    entries[0];
  if (!pick) return {};
  return { ipv4: pick[1].IPAddress || undefined, ipv6: pick[1].GlobalIPv6Address || undefined };
}

/**
 * Listening ports first-class (named after the kind's hint when one matches), then the rest of
 * the hints; by port, TCP before UDP. TCP 161 and UDP 161 are two ports.
 */
export function nodePorts(kind: string, listening?: ListeningPorts): NodePort[] {
  const key = (protocol: Transport, port: number) => `${protocol}/${port}`;
  const hints = new Map(portHintsForKind(kind).map((h) => [key(h.protocol ?? 'tcp', h.port), h]));
  const ports: NodePort[] = [];
  for (const protocol of ['tcp', 'udp'] as const) {
    for (const port of new Set(listening?.[protocol] ?? [])) {
      const service = hints.get(key(protocol, port))?.service ?? serviceForPort(port, protocol);
      ports.push(service ? { port, protocol, source: 'listening', service } : { port, protocol, source: 'listening' });
      hints.delete(key(protocol, port));
    }
  }
  for (const h of hints.values()) ports.push({ port: h.port, protocol: h.protocol ?? 'tcp', source: 'hint', service: h.service });
  return ports.sort((a, b) => a.port - b.port || (a.protocol === b.protocol ? 0 : a.protocol === 'tcp' ? -1 : 1));
}

/** Groups containers into labs by the `containerlab` label; labs and nodes sorted by name. */
export function groupLabs(host: string, containers: { facts: ContainerFacts; node: LabNode }[]): Lab[] {
  const labs = new Map<string, Lab>();
  for (const { facts, node } of containers) {
    const name = facts.labels[LAB_LABEL];
    if (name === undefined) continue;
    let lab = labs.get(name);
    if (!lab) labs.set(name, (lab = { host, name, nodes: [] }));
    const topo = facts.labels['clab-topo-file'];
    if (topo && !lab.topologyFile) lab.topologyFile = topo;
    const owner = facts.labels['clab-owner'];
    if (owner && !lab.owner) lab.owner = owner;
    lab.nodes.push(node);
  }
  const out = [...labs.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const lab of out) lab.nodes.sort((a, b) => a.name.localeCompare(b.name));
  return out;
}
