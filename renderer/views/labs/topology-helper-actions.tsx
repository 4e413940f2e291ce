import type { HelperNodeInfo } from '../../../shared/topology-model';
import { useAction } from '../../lib/use-action';
import { configureBorder0, importToken } from '../border0/actions';

/** Carries a legacy helper node's token and proxy over to the border0 account and provider. */
export function TopologyHelperActions({ helper }: { helper: HelperNodeInfo }) {
  const tokenDone = `Imported the border0 token from ${helper.tokenFile}`;
  const proxyDone = `border0 tunnels now use the proxy ${helper.proxy}`;
  const token = useAction(() => importToken({ path: helper.tokenFile }), { success: tokenDone, failure: `${tokenDone} failed` });
  const proxy = useAction(() => configureBorder0({ proxy: asProxyUrl(helper.proxy!) }), { success: proxyDone, failure: `${proxyDone} failed` });
  // Both change the same border0 account and provider: one at a time.
  const busy = token.busy || proxy.busy;
  return (
    <div className="topo-helper-actions">
      {helper.tokenFile ? (
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          data-testid="topology-helper-import-token"
          onClick={() => void token.run()}
        >
          Import token
        </button>
      ) : null}
      {helper.proxy ? (
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          data-testid="topology-helper-use-proxy"
          onClick={() => void proxy.run()}
        >
          Use this proxy for border0
        </button>
      ) : null}
    </div>
  );
}

/** containerlab's `mysocket-proxy` was often written as `host:port`. */
function asProxyUrl(p: string): string {
  return /^[a-z]+:\/\//i.test(p) ? p : `http://${p}`;
}
