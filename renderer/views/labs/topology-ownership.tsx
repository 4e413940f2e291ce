import type { LabTopologyState } from '../../../shared/topology-model';
import { plural } from '../../lib/format';
import { useConfigure } from './use-topology-configure';

/**
 * A lab someone else deployed (a shared lab server): its file's entries are not published
 * automatically. One click opts in, for this lab and its current owner; the same click
 * again withdraws.
 */
export function TopologyOwnership({ state }: { state: LabTopologyState }) {
  const { pending, configure } = useConfigure(state);
  const { ownership } = state;
  if (ownership.mine || !state.deployed) return null;
  const optedIn = pending.optIn ?? ownership.optedIn;
  const whose = state.owner ? `${state.owner}'s` : "this lab's";
  const entries = state.report?.entries.length ?? 0;
  return (
    <div className={`notice ${optedIn ? 'notice-info' : 'notice-warn'} topo-owner`} data-testid="topology-ownership" data-opted-in={optedIn}>
      <div className="notice-body">
        <div>
          <strong>Not your lab</strong>: <span data-testid="topology-ownership-reason">{ownership.reason}</span>.
        </div>
        <div className="help">
          {optedIn
            ? `You chose to publish its topology file's entries (${plural(entries, 'entry', 'entries')}) through this app.`
            : `Its topology file's entries (${plural(entries, 'entry', 'entries')}) are not published automatically: on a shared lab server they are its owner's to publish.`}
        </div>
      </div>
      <div className="notice-actions">
        <button
          type="button"
          className={`btn btn-small${optedIn ? '' : ' btn-primary'}`}
          disabled={pending.optIn !== undefined}
          onClick={() => void configure({ optIn: !optedIn }, 'publishing')}
          data-testid="topology-opt-in"
          title={optedIn ? 'Stop publishing this lab\u2019s entries (its publications are removed)' : `Publish ${whose} entries, for this lab as ${state.owner ?? 'it is'} deployed it`}
        >
          {optedIn ? 'Stop publishing' : `Publish ${whose} entries`}
        </button>
      </div>
    </div>
  );
}
