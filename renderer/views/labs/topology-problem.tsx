import type { LabTopologyState } from '../../../shared/topology-model';
import { formatLocation } from '../../lib/format';

/** The file could not be used at all: nothing from it is published (running tunnels stay). */
export function TopologyProblem({ state }: { state: LabTopologyState }) {
  const p = state.problem;
  if (!p) return null;
  const file = p.file ?? state.file ?? '';
  return (
    <div className="notice notice-bad topo-problem" role="alert" data-testid="topology-problem" data-kind={p.kind}>
      <div className="notice-body">
        <div>
          <strong>Cannot use the topology file</strong> <code className="topo-loc">{formatLocation(file, p.line, p.column)}</code>
          {': '}
          <span data-testid="topology-problem-message">{p.message}</span>
        </div>
        {p.hint ? <div className="help">{p.hint}</div> : null}
        <div className="help">Nothing new is published from it until it can be read; tunnels already running stay up.</div>
      </div>
    </div>
  );
}
