/**
 * Checks every `publish` list of a file once, where it is written (an error in `defaults` is
 * one error, not one per node), then hands each node the valid entries of its effective list.
 * A bad entry never stops the good ones.
 */
import { transportOf } from '../../../shared/model';
import { isExtensionType, parsePublishEntry, type PublishEntry, type PublishGrammar } from '../../../shared/publish-grammar';
import { socketName } from '../../../shared/publish-defaults';
import type { ResolvedPublishEntry, TopologyDiagnostic, TopologyNodeInfo } from '../../../shared/topology-model';
import type { PublishItem, PublishList } from './definition';
import type { HelperKind } from './helper-nodes';
import type { ResolvedNode } from './inheritance';
import type { SourceLocator } from './source-locator';

export interface NodePlan {
  resolved: ResolvedNode;
  info: TopologyNodeInfo;
  helper?: HelperKind;
}

export interface PublishCheckInput {
  lists: readonly PublishList[];
  nodes: readonly NodePlan[];
  grammar: PublishGrammar;
  locator: SourceLocator;
}

type Valid = Map<PublishItem, PublishEntry>;

export function checkPublish({ lists, nodes, grammar, locator }: PublishCheckInput): { entries: ResolvedPublishEntry[]; diagnostics: TopologyDiagnostic[] } {
  const diagnostics: TopologyDiagnostic[] = [];
  const diag = (item: PublishItem, offset: number, severity: TopologyDiagnostic['severity'], message: string, hint: string, node?: string) =>
    diagnostics.push({ ...locator.at(item.at + offset), severity, text: item.text, textOffset: offset, message, hint, node });
  const publishers = nodes.filter((n) => !n.helper && !n.info.noContainer);
  const valid: Valid = new Map();
  // Looked up per list: maps, so a file with thousands of nodes is not thousands squared.
  const byName = new Map<string, NodePlan>();
  for (const n of nodes) if (!byName.has(n.resolved.name)) byName.set(n.resolved.name, n);
  const usage = listUsage(publishers);

  for (const list of lists) {
    const owner = list.level === 'node' ? byName.get(list.owner) : undefined;
    if (owner?.helper) {
      for (const item of list.items) {
        diag(item, 0, 'error', `node ${owner.info.name} has kind ${owner.helper}: it ran the ${owner.helper} client, and its own ports are not published`, 'clab-publisher publishes ports itself: move the entry to the node whose port you want to reach', owner.info.name);
      }
      continue;
    }
    if (owner?.info.noContainer) {
      for (const item of list.items) {
        diag(item, 0, 'error', `node ${owner.info.name} has kind ${owner.info.kind}, which runs no container: there is no port to publish`, 'publish a port of a node that runs a container', owner.info.name);
      }
      continue;
    }
    checkItems(list, grammar, valid, diag, locator);
    if (list.level !== 'node' && list.items.length > 0) warnIfUnused(list, usage, locator, diagnostics);
  }

  const entries: ResolvedPublishEntry[] = [];
  for (const n of publishers) {
    const p = n.resolved.publish;
    if (!p) continue;
    for (const item of p.list.items) {
      const entry = valid.get(item);
      if (!entry) continue;
      entries.push({
        node: n.info.name,
        containerName: n.info.containerName,
        text: item.text,
        entry,
        socketName: socketName(n.info.name, entry.type, entry.port),
        location: locator.at(item.at),
        inheritedFrom: p.from,
      });
    }
  }
  return { entries, diagnostics };
}

type Diag = (item: PublishItem, offset: number, severity: TopologyDiagnostic['severity'], message: string, hint: string, node?: string) => void;

function checkItems(list: PublishList, grammar: PublishGrammar, valid: Valid, diag: Diag, locator: SourceLocator): void {
  const node = list.level === 'node' ? list.owner : undefined;
  // TCP 161 and UDP 161 are two ports: `tcp/161` and `udp/161` may stand side by side.
  const byPort = new Map<string, PublishItem>();
  for (const item of list.items) {
    if (item.notAString) {
      diag(item, 0, 'error', `publish entry is a ${item.notAString}, not a string`, 'write the entry as <type>/<port>[/<access list>]; quote it when it contains ": " or starts with "{" or "["', node);
      continue;
    }
    const parsed = parsePublishEntry(item.text, grammar);
    if (!parsed.ok) {
      diag(item, parsed.error.offset, 'error', parsed.error.message, parsed.error.hint, node);
      continue;
    }
    const transport = transportOf(parsed.entry.type);
    const key = `${transport}/${parsed.entry.port}`;
    const first = byPort.get(key);
    if (first) {
      const line = locator.at(first.at).line;
      const what = transport === 'udp' ? `UDP port ${parsed.entry.port}` : `port ${parsed.entry.port}`;
      diag(item, item.text.indexOf('/') + 1, 'error', `${what} is published twice: line ${line} publishes it already (${first.text})`, `keep one entry per port: remove this one or the one on line ${line}`, node);
      continue;
    }
    byPort.set(key, item);
    valid.set(item, parsed.entry);
    if (isExtensionType(parsed.entry.type)) {
      diag(
        item,
        0,
        'info',
        `${parsed.entry.type}/${parsed.entry.port} is clab-publisher's extension: containerlab's publish never knew ${parsed.entry.type} (its tunnels carried TCP only)`,
        'clab-publisher publishes it; a containerlab that still had publish (v0.61 and older) would not: keep the file for clab-publisher',
        node,
      );
    }
  }
}

/** Which lists some node publishes from, and how many publishing nodes each group and kind has. */
interface ListUsage {
  used: Set<PublishList>;
  groups: Map<string, number>;
  kinds: Map<string, number>;
  publishers: number;
}

function listUsage(publishers: readonly NodePlan[]): ListUsage {
  const usage: ListUsage = { used: new Set(), groups: new Map(), kinds: new Map(), publishers: publishers.length };
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const n of publishers) {
    if (n.resolved.publish) usage.used.add(n.resolved.publish.list);
    if (n.resolved.group !== undefined) add(usage.groups, n.resolved.group);
    for (const kind of new Set(n.resolved.chain.filter((d) => d.level === 'kind').map((d) => d.name))) add(usage.kinds, kind);
  }
  return usage;
}

function warnIfUnused(list: PublishList, usage: ListUsage, locator: SourceLocator, out: TopologyDiagnostic[]): void {
  if (usage.used.has(list)) return;
  const what = list.level === 'defaults' ? 'the defaults' : `${list.level} ${list.owner}`;
  const members = list.level === 'group' ? (usage.groups.get(list.owner) ?? 0) : list.level === 'kind' ? (usage.kinds.get(list.owner) ?? 0) : usage.publishers;
  const whose = list.level === 'defaults' ? 'every node' : `every node of ${what}`;
  const none = list.level === 'group' ? `no node is in group ${list.owner}` : list.level === 'kind' ? `no node has kind ${list.owner}` : 'the topology has no node that can publish';
  const why = members === 0 ? none : `${whose} has a more specific publish list (lists replace, never merge)`;
  out.push({
    ...locator.at(list.at),
    severity: 'warning',
    text: 'publish:',
    message: `the publish list of ${what} is used by no node: ${why}`,
    hint: members === 0 ? `move the list to a node, or set ${list.level === 'group' ? 'group' : 'kind'}: ${list.owner} on the nodes meant to use it` : 'remove it, or remove the more specific lists so the nodes inherit this one',
  });
}
