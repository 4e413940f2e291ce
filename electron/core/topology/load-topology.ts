/**
 * Reads a containerlab topology the way containerlab does (env expansion, YAML, inheritance,
 * prefix rules) and reports what the app needs: nodes with their container names, the
 * publish entries resolved per node, helper nodes, and located diagnostics. Files that cannot
 * be used at all throw a TopologyFileError; everything else is a diagnostic in the report.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { PublishGrammar } from '../../../shared/publish-grammar';
import type { TopologyDiagnostic, TopologyNodeInfo, TopologyReport } from '../../../shared/topology-model';
import { labDirName, NO_CONTAINER_KINDS, nodeContainerName } from './containerlab-names';
import type { PublishList, ReadContext } from './definition';
import { detectGrammar } from './detect-grammar';
import { expandEnvMapped, type Env } from './env-expand';
import { helperInfo, isHelperKind } from './helper-nodes';
import { resolveNode } from './inheritance';
import { checkPublish, type NodePlan } from './publish-check';
import { readTopology, type TopologySource } from './read-topology';
import { SourceLocator } from './source-locator';
import { firstTemplateBlock, templateError, templateWarning } from './template-check';
import { TopologyFileError } from './topology-file-error';
import { yamlError, yamlProblemText } from './yaml-errors';

export interface TopologyOptions {
  /** Variables for `${VAR}` expansion. parseTopology: none set; loadTopology: process.env. */
  env?: Env;
  /** Forces a publish grammar instead of detecting it. */
  grammar?: PublishGrammar;
  /** loadTopology: how the bytes are read (a lab host's SFTP); this computer's files by default. */
  readFile?: (file: string) => Promise<Buffer>;
}

/** Analyses topology text; `file` is used for locations and to resolve relative paths. */
export function parseTopology(text: string, file: string, opts: TopologyOptions = {}): TopologyReport {
  return analyse(text, file, opts.env ?? {}, opts.grammar, sha256(text));
}

/** Reads and analyses a topology file; `hash` is the sha256 of its bytes. */
export async function loadTopology(file: string, opts: TopologyOptions = {}): Promise<TopologyReport> {
  let bytes: Buffer;
  try {
    bytes = await (opts.readFile ?? fs.readFile)(file);
  } catch (err) {
    throw readError(file, err as NodeJS.ErrnoException);
  }
  return analyse(bytes.toString('utf8'), file, opts.env ?? process.env, opts.grammar, sha256(bytes));
}

function analyse(text: string, file: string, env: Env, grammar: PublishGrammar | undefined, hash: string): TopologyReport {
  const expansion = expandEnvMapped(text, env);
  const locator = new SourceLocator(file, text, expansion);
  const doc = parseDocument(expansion.text, { prettyErrors: false, uniqueKeys: true });
  const block = firstTemplateBlock(text);
  if (doc.errors.length) throw block ? templateError(block, locator, yamlProblemText(doc.errors[0])) : yamlError(doc.errors[0], locator);

  const diagnostics: TopologyDiagnostic[] = [];
  const ctx: ReadContext = { doc, text: expansion.text, report: (at, d) => diagnostics.push({ ...locator.at(at), ...d }) };
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

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const READ_PROBLEMS: Record<string, [string, string]> = {
  ENOENT: ['no such file', 'check the path: containerlab topology files are usually named <lab>.clab.yml'],
  EACCES: ['permission denied', 'make the file readable by this user (labs deployed with sudo often leave root-owned files)'],
  EPERM: ['permission denied', 'make the file readable by this user (labs deployed with sudo often leave root-owned files)'],
  EISDIR: ['it is a folder, not a file', 'give the topology file inside it (the *.clab.yml file)'],
};

function readError(file: string, err: NodeJS.ErrnoException): TopologyFileError {
  const [what, hint] = READ_PROBLEMS[err.code ?? ''] ?? [err.message, 'check that the file exists and is readable'];
  return new TopologyFileError({ kind: 'read', file, message: `cannot read the topology file: ${what}`, hint }, { cause: err });
}
