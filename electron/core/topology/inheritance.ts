/**
 * containerlab's value inheritance, most specific first: node, group, kind (the node's kind
 * key in `topology.kinds`), defaults. Scalars: the first non-empty wins. `env`/`labels`:
 * merged, specific keys win. `binds`: merged by destination path. `publish`: the first
 * non-empty list, whole: lists replace, never merge.
 */
import type { PublishSource } from '../../../shared/topology-model';
import type { Definition, PublishList } from './definition';

export interface TopologyDefinitions {
  defaults: Definition;
  kinds: ReadonlyMap<string, Definition>;
  groups: ReadonlyMap<string, Definition>;
}

export interface ResolvedNode {
  name: string;
  /** Lower-cased as containerlab stores it; '' when no level sets one. */
  kind: string;
  group?: string;
  image?: string;
  type?: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  binds: string[];
  extras?: Record<string, string>;
  publish?: { list: PublishList; from: PublishSource };
  /** The levels that applied, most specific first (for "which list came from where"). */
  chain: Definition[];
}

/** containerlab's GetNodeKind: the node's, its group's, the default group's, the defaults'. */
export function nodeKind(node: Definition, t: TopologyDefinitions): string {
  return (
    node.kind ??
    (node.group ? t.groups.get(node.group)?.kind : undefined) ??
    (t.defaults.group ? t.groups.get(t.defaults.group)?.kind : undefined) ??
    t.defaults.kind ??
    ''
  );
}

/** containerlab's GetNodeGroup: the node's, its kind's, the defaults'. */
export function nodeGroup(node: Definition, kind: string, t: TopologyDefinitions): string | undefined {
  return node.group ?? t.kinds.get(kind)?.group ?? t.defaults.group;
}

export function resolveNode(node: Definition, t: TopologyDefinitions): ResolvedNode {
  const kind = nodeKind(node, t);
  const group = nodeGroup(node, kind, t);
  const chain = [node, group ? t.groups.get(group) : undefined, t.kinds.get(kind), t.defaults].filter((d): d is Definition => !!d);
  const first = <K extends 'image' | 'type'>(key: K) => chain.find((d) => d[key])?.[key];
  const general = [...chain].reverse();
  const binds = new Map<string, string>();
  for (const d of general) for (const b of d.binds) binds.set(bindDestination(b), b);
  const publishing = chain.find((d) => d.publish && d.publish.items.length > 0);
  return {
    name: node.name,
    kind: kind.toLowerCase(),
    group,
    image: first('image'),
    type: first('type'),
    env: Object.assign({}, ...general.map((d) => d.env)),
    labels: Object.assign({}, ...general.map((d) => d.labels)),
    binds: [...binds.values()],
    extras: chain.find((d) => d.extras && Object.keys(d.extras).length > 0)?.extras,
    publish: publishing?.publish ? { list: publishing.publish, from: publishing.level } : undefined,
    chain,
  };
}

/** `host:container[:options]` -> `container`; a lone path is the destination too. */
export function bindDestination(bind: string): string {
  const parts = bind.split(':');
  return parts.length >= 2 ? parts[1] : parts[0];
}

/** `host:container[:options]` -> `host`, undefined for a lone path (an anonymous volume). */
export function bindSource(bind: string): string | undefined {
  const parts = bind.split(':');
  return parts.length >= 2 ? parts[0] : undefined;
}
