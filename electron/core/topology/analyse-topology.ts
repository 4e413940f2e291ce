/**
 * Reads a containerlab topology's text the way containerlab does (env expansion, YAML,
 * inheritance, prefix rules) and reports what the app needs: nodes with their container
 * names, the publish entries resolved per node, helper nodes, and located diagnostics. Text
 * that cannot be used at all throws a TopologyFileError; everything else is a diagnostic.
 */
import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import type { PublishGrammar } from '../../../shared/publish-grammar';
import type { TopologyDiagnostic, TopologyNodeInfo, TopologyReport } from '../../../shared/topology-model';
import { labDirName, NO_CONTAINER_KINDS, nodeContainerName } from './containerlab-names';
import type { PublishList, ReadContext } from './definition';
import { detectGrammar } from './detect-grammar';
import { firstDuplicateKey } from './duplicate-keys';
import { expandEnvMapped, type Env } from './env-expand';
import { helperInfo, isHelperKind } from './helper-nodes';
import { resolveNode } from './inheritance';
import { checkPublish, type NodePlan } from './publish-check';
import { readTopology, type TopologySource } from './read-topology';
import { SourceLocator } from './source-locator';
import { firstTemplateBlock, templateError, templateWarning } from './template-check';
import { TopologyFileError } from './topology-file-error';
import { yamlError, yamlProblemText } from './yaml-errors';
import { TreeLimitError } from './yaml-tree';

export interface ParseOptions {
  /** Variables for `${VAR}` expansion; none set by default. */
  env?: Env;
  /** Forces a publish grammar instead of detecting it. */
  grammar?: PublishGrammar;
}

/**
 * Analyses topology text in this thread; `file` is used for locations and to resolve
 * relative paths. For text the caller holds already; files go through loadTopology.
 */
export function parseTopology(text: string, file: string, opts: ParseOptions = {}): TopologyReport {
  return analyseTopology(text, file, opts.env ?? {}, opts.grammar, sha256(text));
}

/** The analysis of a file's bytes (UTF-8), `hash` being theirs. */
export function analyseBytes(bytes: Uint8Array, file: string, env: Env, grammar?: PublishGrammar): TopologyReport {
  return analyseTopology(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), file, env, grammar, sha256(bytes));
}

/**
 * The whole analysis of one file's text: CPU only, no I/O. loadTopology runs it in a worker
 * with a time budget; `hash` is the sha256 of the bytes the text came from.
 */
export function analyseTopology(text: string, file: string, env: Env, grammar: PublishGrammar | undefined, hash: string): TopologyReport {
  const expansion = expandEnvMapped(text, env);
  const locator = new SourceLocator(file, text, expansion);
  try {
    return analyseExpanded(text, expansion.text, locator, grammar, hash);
  } catch (err) {
    if (err instanceof TreeLimitError) throw limitError(locator, `the file is too costly to read: ${err.message}`, 'merge keys (<<) or aliases (*name) repeat the same blocks many times over: write the nodes out, or share settings through kinds, groups and defaults');
    // The parser and the reader recurse once per nesting level.
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw limitError(locator, 'the file nests maps or lists too deeply to read', 'a containerlab topology is a few levels deep: check for runaway brackets or indentation');
    throw err;
  }
}

function analyseExpanded(text: string, expanded: string, locator: SourceLocator, grammar: PublishGrammar | undefined, hash: string): TopologyReport {
  const file = locator.file;
  // uniqueKeys off: the library's check is quadratic in a map's size (duplicate-keys.ts).
  const doc = parseDocument(expanded, { prettyErrors: false, uniqueKeys: false });
  const block = firstTemplateBlock(text);
  const duplicate = firstDuplicateKey(doc);
  const first = [doc.errors[0], duplicate].filter((e) => e !== undefined).sort((a, b) => a.pos[0] - b.pos[0])[0];
  if (first) throw block ? templateError(block, locator, yamlProblemText(first)) : yamlError(first, locator);

  const diagnostics: TopologyDiagnostic[] = [];
  const ctx: ReadContext = { doc, text: expanded, report: (at, d) => diagnostics.push({ ...locator.at(at), ...d }) };
  let src: TopologySource;
  try {
    src = readTopology(doc, ctx, locator);
  } catch (err) {
    // A template can parse as YAML and still lack its shape until rendered.
    throw block && err instanceof TopologyFileError ? templateError(block, locator, err.message) : err;
  }
  const plans = src.nodes.map((def): NodePlan => {
    const resolved = resolveNode(def, src.defs);
    const info: TopologyNodeInfo = {
      name: def.name,
      kind: resolved.kind,
      containerName: nodeContainerName(src.name, def.name, resolved.kind, src.prefix),
      location: locator.at(def.at),
    };
    if (resolved.group) info.group = resolved.group;
    if (resolved.image) info.image = resolved.image;
    if (resolved.type) info.type = resolved.type;
    if (NO_CONTAINER_KINDS.has(resolved.kind)) info.noContainer = true;
    return { resolved, info, helper: isHelperKind(resolved.kind) ? resolved.kind : undefined };
  });
  const helpers = plans.flatMap((p) => (p.helper ? [helperInfo(p.resolved, p.helper, p.info.location, file)] : []));
  const lists = publishLists(src);
  const clues = lists.flatMap((l) => l.items.filter((i) => !i.notAString).map((i) => ({ text: i.text, line: locator.at(i.at).line })));
  const choice = detectGrammar({ helpers, entries: clues }, grammar);
  const checked = checkPublish({ lists, nodes: plans, grammar: choice.grammar, locator });
  diagnostics.push(...checked.diagnostics);
  if (block) diagnostics.push(templateWarning(block, locator));
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);

  const mgmt: TopologyReport['mgmt'] = { network: src.mgmt.network };
  if (src.mgmt.ipv4Subnet) mgmt.ipv4Subnet = src.mgmt.ipv4Subnet;
  if (src.mgmt.ipv6Subnet) mgmt.ipv6Subnet = src.mgmt.ipv6Subnet;
  const report: TopologyReport = {
    file,
    labName: src.name,
    labDir: labDirName(src.name),
    mgmt,
    grammar: choice.grammar,
    grammarSource: choice.source,
    grammarReason: choice.reason,
    nodes: plans.map((p) => p.info),
    entries: checked.entries,
    diagnostics,
    helpers,
    hash,
  };
  if (src.prefix !== undefined) report.prefix = src.prefix;
  return report;
}

/** Every publish list in the file, in file order. */
function publishLists(src: TopologySource): PublishList[] {
  const defs = [src.defs.defaults, ...src.defs.kinds.values(), ...src.defs.groups.values(), ...src.nodes];
  return defs.flatMap((d) => (d.publish ? [d.publish] : [])).sort((a, b) => a.at - b.at);
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function limitError(locator: SourceLocator, message: string, hint: string): TopologyFileError {
  return new TopologyFileError({ kind: 'limit', file: locator.file, message, hint });
}
