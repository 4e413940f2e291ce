import type { HelperNodeInfo } from '../../../shared/topology-model';
import { useAction } from '../../lib/use-action';
import { configureBorder0, importToken } from '../border0/actions';

interface Carry {
  label: string;
  testId: string;
  /** Said when it worked ("… failed" when not). */
  done: string;
  run: () => Promise<unknown>;
}

/** Carries a legacy helper node's token and proxy over to the border0 account and provider. */
export function TopologyHelperActions({ helper }: { helper: HelperNodeInfo }) {
  const carries: Carry[] = [];
  const { tokenFile, proxy } = helper;
  if (tokenFile) carries.push({ label: 'Import token', testId: 'topology-helper-import-token', done: `Imported the border0 token from ${tokenFile}`, run: () => importToken({ path: tokenFile }) });
  if (proxy) carries.push({ label: 'Use this proxy for border0', testId: 'topology-helper-use-proxy', done: `border0 tunnels now use the proxy ${proxy}`, run: () => configureBorder0({ proxy: asProxyUrl(proxy) }) });
  // Both change the same border0 account and provider: one at a time.
  const carry = useAction((c: Carry) => c.run(), { success: (_r, c) => c.done, failure: (c) => `${c.done} failed` });
  return (
    <div className="topo-helper-actions">
      {carries.map((c) => (
        <button key={c.testId} type="button" className="btn btn-small" disabled={carry.busy} data-testid={c.testId} onClick={() => void carry.run(c)}>
          {c.label}
        </button>
      ))}
    </div>
  );
}

/** containerlab's `mysocket-proxy` was often written as `host:port`. */
function asProxyUrl(p: string): string {
  return /^[a-z]+:\/\//i.test(p) ? p : `http://${p}`;
}
