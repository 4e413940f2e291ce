/**
 * The `publish` list a node gets from above when it has none of its own. containerlab reads
 * the node's list if non-empty, else its group's, else its kind's, else the defaults' (lists
 * replace, never merge), so writing a node list hides the inherited one: write-back copies it.
 * Simple lookups on the parsed file, following containerlab's GetNodeKind / GetNodeGroup.
 */

export interface InheritedPublish {
  /** Where the list is written, e.g. `kinds.srl.publish`. */
  from: string;
  entries: unknown[];
}

type Obj = Record<string, unknown>;

const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const nonEmptyList = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

/** `topology` is the parsed `topology` block (merge keys resolved). */
export function inheritedPublish(topology: unknown, node: string): InheritedPublish | undefined {
  const topo = asObj(topology);
  const defaults = asObj(topo.defaults);
  const groups = asObj(topo.groups);
  const kinds = asObj(topo.kinds);
  const def = asObj(asObj(topo.nodes)[node]);

  // Kind: node, then its group, then the defaults' group, then the defaults.
  const kind =
    str(def.kind) || str(asObj(groups[str(def.group)]).kind) || str(asObj(groups[str(defaults.group)]).kind) || str(defaults.kind);
  // Group: node, then its kind, then the defaults.
  const group = str(def.group) || str(asObj(kinds[kind]).group) || str(defaults.group);

  const levels: [string, unknown][] = [
    [`groups.${group}.publish`, group ? asObj(groups[group]).publish : undefined],
    [`kinds.${kind}.publish`, kind ? asObj(kinds[kind]).publish : undefined],
    ['defaults.publish', defaults.publish],
  ];
  for (const [from, list] of levels) if (nonEmptyList(list)) return { from, entries: list };
  return undefined;
}

/** The comment placed above a copied list, so the next reader knows why it is there. */
export function copiedComment(from: string): string {
  return `# copied from ${from}: a node's list replaces the inherited one`;
}
