/**
 * What the app knows about a containerlab topology file: plain data shared by the core, the
 * CLI (`clab-publisher check`) and the UI.
 */
import type { PublishEntry, PublishGrammar } from './publish-grammar';

/** 1-based line and column, as editors show them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface TopologyDiagnostic extends SourceLocation {
  /** `info`: nothing wrong here, but worth knowing (e.g. an entry containerlab never knew). */
  severity: 'error' | 'warning' | 'info';
  /** The offending text (an entry, a key, a line of the file). */
  text: string;
  message: string;
  /** One line: what to do about it. */
  hint: string;
  node?: string;
  /** 0-based position in `text` the problem starts at (a caret goes under it). */
  textOffset?: number;
}

/** Where a node's effective `publish` list came from (lists replace, never merge). */
export type PublishSource = 'node' | 'group' | 'kind' | 'defaults';

export interface ResolvedPublishEntry {
  node: string;
  containerName: string;
  /** The entry as written in the file. */
  text: string;
  entry: PublishEntry;
  /** `clab-<node>-<type>-<port>`. */
  socketName: string;
  location: SourceLocation;
  inheritedFrom: PublishSource;
}

export interface TopologyNodeInfo {
  name: string;
  kind: string;
  group?: string;
  image?: string;
  /** containerlab's container name for this node (prefix rules applied). */
  containerName: string;
  /** containerlab's `type` (e.g. `ixr-d3l`), inherited like `image`. */
  type?: string;
  /** Kinds that start no container of the node's name (`bridge`, `ovs-bridge`, `host`, `k8s-kind`): nothing to publish. */
  noContainer?: boolean;
  location: SourceLocation;
}

/** A `kind: mysocketio` / `kind: border0` node: not needed with this app. */
export interface HelperNodeInfo {
  node: string;
  kind: 'mysocketio' | 'border0';
  /** Host path of the token file its `binds` mounted, when there is one. */
  tokenFile?: string;
  /** `extras.mysocket-proxy`: an HTTP CONNECT proxy for the SSH dataplane. */
  proxy?: string;
  location: SourceLocation;
}

export interface TopologyReport {
  file: string;
  labName: string;
  /** As written; undefined when absent (containerlab then uses `clab`). */
  prefix?: string;
  /** containerlab's lab directory name, `clab-<lab>`, beside the topology file. */
  labDir?: string;
  mgmt: { network: string; ipv4Subnet?: string; ipv6Subnet?: string };
  grammar: PublishGrammar;
  grammarSource: 'detected' | 'override';
  /** Why this grammar, in words (e.g. "node border0-helper has kind border0"). */
  grammarReason: string;
  nodes: TopologyNodeInfo[];
  entries: ResolvedPublishEntry[];
  diagnostics: TopologyDiagnostic[];
  helpers: HelperNodeInfo[];
  /** sha256 of the file's bytes as read: write-back refuses when the file changed since. */
  hash: string;
}

/** A topology file that could not be used at all (unreadable, not YAML, an unrendered template, beyond the limits). */
export interface TopologyFileProblem extends Partial<SourceLocation> {
  kind: 'read' | 'yaml' | 'template' | 'shape' | 'limit';
  message: string;
  hint: string;
}

/** One lab's topology as the app sees it, with the lab's publish settings. */
export interface LabTopologyState {
  host: string;
  lab: string;
  /** The file: from the lab's `clab-topo-file` label, or one the user opened. */
  file?: string;
  fileSource?: 'label' | 'user';
  report?: TopologyReport;
  problem?: TopologyFileProblem;
  /** Whether the file's publish entries are published when the lab runs. */
  autoPublish: boolean;
  /** What autoPublish is when the user has not chosen: on when the file has entries. */
  autoPublishDefault: boolean;
  grammarOverride?: 'mysocketio' | 'border0';
  /** Provider the file's entries are published through. */
  provider: string;
  /** Whether containers of this lab currently exist in Docker. */
  deployed: boolean;
  /** Who deployed the lab: containerlab's `clab-owner` label (absent before containerlab 0.57). */
  owner?: string;
  /**
   * Whether the file's entries may be published automatically: only for the user's own labs
   * or labs the user opted in to (`topology.configure` with `optIn`).
   */
  ownership: LabOwnership;
}

export interface LabOwnership {
  /** Deployed by the user running the app (on that lab host). */
  mine: boolean;
  /** Not the user's, and the user opted in to publishing it (for its current owner). */
  optedIn: boolean;
  /** Why, in words: "deployed by alice, not by you (bob)". */
  reason: string;
}
