/**
 * The text form of a topology check, as a compiler would print it: a table of what would be
 * published, then `file:line:column: error: message`, the offending text with a caret under
 * the problem, and `hint: ...`.
 */
import type { TopologyDiagnostic, TopologyReport } from '../../../shared/topology-model';
import type { TopologyFileError } from './topology-file-error';

export function formatDiagnostic(d: TopologyDiagnostic): string {
  const lines = [`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`];
  if (d.text) {
    lines.push(`    ${d.text}`);
    lines.push(`    ${' '.repeat(Math.min(d.textOffset ?? 0, d.text.length))}^`);
  }
  lines.push(`hint: ${d.hint}`);
  return lines.join('\n');
}

export function formatFileError(e: TopologyFileError): string {
  const lines = [`${e.where}: error: ${e.message}`];
  // A template error shows its block; yaml and shape errors show the whole line.
  const caret = e.kind === 'template' ? 0 : Math.max(0, (e.column ?? 1) - 1);
  if (e.text) lines.push(`    ${e.text}`, `    ${' '.repeat(caret)}^`);
  lines.push(`hint: ${e.hint}`);
  return lines.join('\n');
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatEntries(report: TopologyReport): string {
  if (report.entries.length === 0) return 'no publish entries: nothing to publish from this file (ports can be published from the app)';
  const rows = report.entries.map((e) => [
    e.node,
    e.containerName,
    e.entry.type,
    String(e.entry.port),
    e.entry.access.length ? `${e.entry.accessKind === 'policies' ? 'policies ' : ''}${e.entry.access.join(',')}` : 'anyone',
    e.socketName,
    `${e.location.file}:${e.location.line}${e.inheritedFrom === 'node' ? '' : ` (${e.inheritedFrom})`}`,
  ]);
  return formatTable(['NODE', 'CONTAINER', 'TYPE', 'PORT', 'ACCESS', 'SOCKET NAME', 'SOURCE'], rows);
}

export function formatHelpers(report: TopologyReport): string[] {
  return report.helpers.map((h) => {
    const token = h.tokenFile ? `its token file ${h.tokenFile} can be imported in Accounts` : 'it mounts no token file';
    const proxy = h.proxy ? `; its proxy ${h.proxy} can be set on the border0 provider` : '';
    return `helper node ${h.node} (kind ${h.kind}, ${h.location.file}:${h.location.line}): not needed with clab-publisher; ${token}${proxy}`;
  });
}
