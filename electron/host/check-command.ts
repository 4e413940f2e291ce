/**
 * `clab-publisher check <topology>`: reads a topology file as containerlab would and shows what
 * its publish entries would publish through the chosen provider, or where they are wrong, the
 * way a compiler does. Exit 0 clean (warnings allowed), 1 entry errors, 2 file unusable.
 */
import { border0SocketName, LOCAL_LAB_HOST } from '../../shared/border0-sockets';
import type { TopologyReport } from '../../shared/topology-model';
import type { Env } from '../core/topology/env-expand';
import { loadTopology } from '../core/topology/load-topology';
import { checkForProvider, providerRefuses } from '../core/topology/provider-check';
import { formatDiagnostic, formatEntries, formatFileError, formatHelpers } from '../core/topology/report-text';
import { TopologyFileError } from '../core/topology/topology-file-error';
import type { CheckArgs } from './cli-args';

export interface CheckOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: CheckOutput = {
  stdout: (t) => process.stdout.write(`${t}\n`),
  stderr: (t) => process.stderr.write(`${t}\n`),
};

export async function runCheck(args: Omit<CheckArgs, 'command'>, out: CheckOutput = processOutput, env: Env = process.env): Promise<number> {
  let report;
  try {
    report = await loadTopology(args.file, { env, grammar: args.grammar });
  } catch (err) {
    if (!(err instanceof TopologyFileError)) throw err;
    if (args.json) out.stdout(JSON.stringify({ error: err.toJSON() }, null, 2));
    else out.stderr(formatFileError(err));
    return 2;
  }
  if (args.provider === 'border0') report = withBorder0Names(report);
  const providerErrors = checkForProvider(report, args.provider);
  const problems = [...report.diagnostics, ...providerErrors].sort((a, b) => a.line - b.line || a.column - b.column);
  const errors = problems.filter((d) => d.severity === 'error').length;
  const code = errors > 0 ? 1 : 0;
  if (args.json) {
    out.stdout(JSON.stringify({ ...report, provider: args.provider, providerErrors }, null, 2));
    return code;
  }
  out.stdout(`lab ${report.labName} (${report.file}): ${report.nodes.length} nodes, lab directory ${report.labDir}`);
  out.stdout(`grammar ${report.grammar} (${report.grammarSource === 'detected' ? 'detected: ' : ''}${report.grammarReason})`);
  out.stdout(`provider ${args.provider}\n`);
  out.stdout(formatEntries(report));
  for (const line of formatHelpers(report)) out.stdout(`\n${line}`);
  for (const d of problems) out.stderr(`\n${formatDiagnostic(d)}`);
  const warnings = problems.filter((d) => d.severity === 'warning').length;
  const notes = problems.length - errors - warnings;
  const blocked = report.entries.filter((e) => providerRefuses(e, args.provider)).length;
  const ready = report.entries.length - blocked;
  const noted = notes ? `, ${plural(notes, 'note')}` : '';
  out.stdout(`\n${ready} of ${report.entries.length} entries can be published; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${noted}`);
  return code;
}

/**
 * border0 sockets are named after the lab as well as the node (two labs with the same node
 * names never collide there): show the names the border0 provider will really create for a
 * lab on this computer, not the short names the other providers use.
 */
function withBorder0Names(report: TopologyReport): TopologyReport {
  const entries = report.entries.map((e) => ({
    ...e,
    socketName: border0SocketName({ host: LOCAL_LAB_HOST, lab: report.labName, node: e.node, type: e.entry.type, port: e.entry.port }),
  }));
  return { ...report, entries };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
