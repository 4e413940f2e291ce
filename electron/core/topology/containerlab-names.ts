/**
 * Names containerlab gives a lab's containers and folders (docs/containerlab.md, "Container and folder names"). The app
 * matches running containers to topology nodes by these names, so they must be exact.
 */

/** What containerlab uses when the topology has no `prefix`. */
export const DEFAULT_PREFIX = 'clab';
/** The `prefix` value that means "the lab name alone". */
export const LAB_NAME_PREFIX = '__lab-name';

/**
 * The container name of node `node` in lab `lab`: `clab-<lab>-<node>` without a prefix,
 * `X-<lab>-<node>` for `prefix: X`, `<lab>-<node>` for `__lab-name`, `<node>` for `""`.
 */
export function containerName(lab: string, node: string, prefix?: string): string {
  const p = prefix ?? DEFAULT_PREFIX;
  if (p === '') return node;
  if (p === LAB_NAME_PREFIX) return `${lab}-${node}`;
  return `${p}-${lab}-${node}`;
}

/** The lab directory beside the topology file: `clab-<lab>` whatever the prefix. */
export function labDirName(lab: string): string {
  return `clab-${lab}`;
}

/**
 * Kinds that start no container under the node's name: a Linux or OVS bridge on the host, the
 * host itself, and a `k8s-kind` cluster (its containers, `<cluster>-control-plane` and so on,
 * appear as `ext-container` nodes). Their nodes have no port of their own to publish.
 */
export const NO_CONTAINER_KINDS: ReadonlySet<string> = new Set(['bridge', 'ovs-bridge', 'host', 'k8s-kind']);

/** The container a node runs as; `ext-container` nodes are existing containers named as the node. */
export function nodeContainerName(lab: string, node: string, kind: string, prefix?: string): string {
  return kind === 'ext-container' ? node : containerName(lab, node, prefix);
}
