import type { Transport } from '../api/transport';
import { bindAccountsStore } from './use-accounts-store';
import { bindHostsStore } from './use-hosts-store';
import { bindLabsStore } from './use-labs-store';
import { bindLogsStore } from './use-logs-store';
import { bindProvidersStore } from './use-providers-store';
import { bindPublicationsStore } from './use-publications-store';
import { bindSharesStore } from './use-shares-store';
import { bindTerminalsStore } from './use-terminals-store';
import { bindTopologyStore } from './use-topology-store';
import { bindTunnelsStore } from './use-tunnels-store';
import { useConnectionStore } from './use-connection-store';
import { useUiStore } from './use-ui-store';

const WHAT = ['hosts', 'labs', 'publications', 'tunnels', 'providers', 'topology files', 'logs', 'accounts', 'shares', 'terminals'];

/** Wires every store to the core; after each (re)connect everything is fetched again. */
export function startSync(t: Transport): () => void {
  useConnectionStore.setState({ kind: t.kind });
  const bindings = [bindHostsStore, bindLabsStore, bindPublicationsStore, bindTunnelsStore, bindProvidersStore, bindTopologyStore, bindLogsStore, bindAccountsStore, bindSharesStore, bindTerminalsStore].map(
    (bind) => bind(t.api),
  );
  const offStatus = t.onStatus((s) => useConnectionStore.setState({ state: s.state, retryAt: s.retryAt, detail: s.detail }, false));
  const offConnected = t.onConnected(() => {
    void Promise.allSettled(bindings.map((b) => b.load())).then((results) =>
      results.forEach((r, i) => {
        // A dropped connection says so in its own banner; no toast per list.
        if (r.status === 'rejected' && useConnectionStore.getState().state === 'open') useUiStore.getState().showError(r.reason, `Loading ${WHAT[i]} failed`);
      }),
    );
  });
  return () => {
    offConnected();
    offStatus();
    bindings.forEach((b) => b.dispose());
  };
}
