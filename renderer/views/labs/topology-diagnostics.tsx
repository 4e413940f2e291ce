import { useMemo, useState } from 'react';
import type { TopologyDiagnostic } from '../../../shared/topology-model';
import { baseName, formatLocation, plural } from '../../lib/format';

const byPlace = (a: TopologyDiagnostic, b: TopologyDiagnostic) =>
  a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;

function DiagnosticRow({ d }: { d: TopologyDiagnostic }) {
  return (
    <li className={`diag diag-${d.severity}`} data-testid="topology-diagnostic" data-severity={d.severity}>
      <span className="diag-severity">{d.severity}</span>
      <code className="diag-loc" title={formatLocation(d.file, d.line, d.column)}>
        {formatLocation(baseName(d.file), d.line, d.column)}
      </code>
      <span className="diag-node">{d.node ?? ''}</span>
      <span className="diag-main">
        {d.text ? <code className="diag-text">{d.text}</code> : null} <span className="diag-message">{d.message}</span>
      </span>
      {d.hint ? <span className="diag-hint">{d.hint}</span> : null}
    </li>
  );
}

/** What is wrong with the file's publish entries, compiler style; open while there are errors. */
export function TopologyDiagnostics({ diagnostics }: { diagnostics: TopologyDiagnostic[] }) {
  const sorted = useMemo(() => [...diagnostics].sort(byPlace), [diagnostics]);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const notes = diagnostics.length - errors - warnings;
  // Until the user chooses, follow the file: errors open the list, warnings alone do not.
  const [chosen, setChosen] = useState<boolean | null>(null);
  const open = chosen ?? errors > 0;
  if (diagnostics.length === 0) return null;
  return (
    <section className="topo-diags" data-testid="topology-diagnostics" aria-label="Topology file diagnostics">
      <button type="button" className="btn-flat topo-diags-toggle" aria-expanded={open} onClick={() => setChosen(!open)} data-testid="topology-diagnostics-toggle">
        {open ? '▾' : '▸'} {errors + warnings ? 'Problems in the file' : 'Notes on the file'}{' '}
        <span className={errors ? 'error-text' : 'muted'}>{plural(errors, 'error')}</span>
        <span className="muted">, {plural(warnings, 'warning')}</span>
        {notes ? <span className="muted">, {plural(notes, 'note')}</span> : null}
      </button>
      {open ? (
        <ul className="diag-list">
          {sorted.map((d, i) => (
            <DiagnosticRow key={`${d.file}:${d.line}:${d.column}:${i}`} d={d} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
