import type { HelperNodeInfo } from '../../../shared/topology-model';
import { formatLocation } from '../../lib/format';
import { TopologyHelperActions } from './topology-helper-actions';

/** `kind: mysocketio` / `kind: border0` nodes did the publishing for containerlab; this app does it itself. */
export function TopologyHelpers({ helpers }: { helpers: HelperNodeInfo[] }) {
  if (helpers.length === 0) return null;
  return (
    <>
      {helpers.map((h) => (
        <div key={h.node} className="notice notice-info topo-helper" data-testid="topology-helpers" data-node={h.node}>
          <div className="notice-body">
            <div>
              <strong>
                node {h.node} (kind {h.kind}) is not needed with clab-publisher
              </strong>{' '}
              <code className="topo-loc muted">{formatLocation(h.location.file, h.location.line, h.location.column)}</code>
            </div>
            {h.tokenFile || h.proxy ? (
              <div className="topo-helper-facts">
                {h.tokenFile ? (
                  <span>
                    token file <code data-testid="topology-helper-token">{h.tokenFile}</code>
                  </span>
                ) : null}
                {h.proxy ? (
                  <span>
                    proxy <code data-testid="topology-helper-proxy">{h.proxy}</code>
                  </span>
                ) : null}
              </div>
            ) : null}
            <div className="help">
              This app publishes the file&apos;s entries itself; the helper container can be removed from the topology.
              {h.tokenFile || h.proxy ? ' Its token and proxy can be carried over to the border0 account here:' : ''}
            </div>
            <TopologyHelperActions helper={h} />
          </div>
        </div>
      ))}
    </>
  );
}
