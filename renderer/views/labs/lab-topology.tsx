import type { Lab } from '../../../shared/model';
import type { TopologyReport } from '../../../shared/topology-model';
import { plural } from '../../lib/format';
import { useLabTopology } from '../../stores/use-topology-store';
import { TopologyDiagnostics } from './topology-diagnostics';
import { TopologyFile } from './topology-file';
import { TopologyHelpers } from './topology-helpers';
import { TopologyOwnership } from './topology-ownership';
import { TopologyProblem } from './topology-problem';
import { TopologySettings } from './topology-settings';

function Counts({ report }: { report: TopologyReport }) {
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  return (
    <span className="topo-counts nowrap" data-testid="topology-counts" title="Publish entries in the file, and problems found in it">
      <span data-testid="topology-entries">{plural(report.entries.length, 'entry', 'entries')}</span>
      {' · '}
      <span className={errors ? 'error-text' : undefined}>{plural(errors, 'error')}</span>
      {' · '}
      <span className={warnings ? 'warn-text' : undefined}>{plural(warnings, 'warning')}</span>
    </span>
  );
}

/** The lab's topology as code: its file, publish settings, and what is wrong with it. */
export function LabTopology({ lab }: { lab: Lab }) {
  const state = useLabTopology(lab.host, lab.name);
  const report = state?.report;
  // Per lab: what was typed, toggled or pending for one lab never shows on another.
  const key = `${lab.host}/${lab.name}`;
  return (
    <div className="topo" data-testid="topology-strip">
      <div className="topo-strip">
        <span className="topo-title">Topology</span>
        <TopologyFile key={`file/${key}`} host={lab.host} lab={lab.name} state={state} />
        {state?.file ? <TopologySettings key={`settings/${key}`} state={state} /> : null}
        {report ? <Counts report={report} /> : null}
      </div>
      {state ? <TopologyOwnership key={`owner/${key}`} state={state} /> : null}
      {state ? <TopologyProblem state={state} /> : null}
      {report ? <TopologyHelpers helpers={report.helpers} /> : null}
      {report ? <TopologyDiagnostics key={`diags/${key}/${report.file}`} diagnostics={report.diagnostics} /> : null}
    </div>
  );
}
