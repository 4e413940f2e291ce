import { useState } from 'react';
import type { HelperNodeInfo } from '../../../shared/topology-model';
import { api } from '../../api';
import { useUiStore } from '../../stores/use-ui-store';

/** Carries a legacy helper node's token and proxy over to the border0 account and provider. */
export function TopologyHelperActions({ helper }: { helper: HelperNodeInfo }) {
  const showError = useUiStore((s) => s.showError);
  const showInfo = useUiStore((s) => s.showInfo);
  const [busy, setBusy] = useState(false);
  const run = async (what: string, fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      showInfo(what);
    } catch (err) {
      showError(err, `${what} failed`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="topo-helper-actions">
      {helper.tokenFile ? (
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          data-testid="topology-helper-import-token"
          onClick={() => run(`Imported the border0 token from ${helper.tokenFile}`, () => api['accounts.importToken']({ provider: 'border0', path: helper.tokenFile }))}
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
          onClick={() => run(`border0 tunnels now use the proxy ${helper.proxy}`, () => api['providers.configure']({ id: 'border0', proxy: asProxyUrl(helper.proxy!) }))}
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
