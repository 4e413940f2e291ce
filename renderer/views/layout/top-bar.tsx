import { StateBadge } from '../../components/state-badge';
import { useBorder0Account } from '../../stores/use-accounts-store';
import { useConnectionStore } from '../../stores/use-connection-store';
import { useHostsStore } from '../../stores/use-hosts-store';
import { useUiStore } from '../../stores/use-ui-store';
import { NotificationsToggle } from '../tunnels/notifications-toggle';
import { TunnelSummary } from '../tunnels/tunnel-summary';

/** Opens the Accounts drawer; a dot says when the border0 login needs attention. */
function AccountsButton() {
  const open = useUiStore((s) => s.accountsOpen);
  const setOpen = useUiStore((s) => s.setAccountsOpen);
  const a = useBorder0Account();
  const tone = !a ? null : a.expired || a.rejected ? 'bad' : a.loggedIn && a.expiresSoon ? 'warn' : a.loggedIn ? 'ok' : null;
  const who = a?.loggedIn ? `border0: ${a.user?.email ?? a.user?.userId ?? 'logged in'}${a.expired ? ' (expired)' : a.rejected ? ' (rejected)' : ''}` : 'border0: not logged in';
  return (
    <button type="button" className={`btn${open ? ' is-active' : ''}`} onClick={() => setOpen(!open)} data-testid="open-accounts" title={`Accounts — ${who}`} aria-expanded={open}>
      {tone ? <span className={`dot tone-${tone}`} aria-hidden="true" /> : null}
      Accounts
    </button>
  );
}

/** Opens the Providers drawer (local listener, SSH relay, border0 settings). */
function ProvidersButton() {
  const open = useUiStore((s) => s.providersOpen);
  const setOpen = useUiStore((s) => s.setProvidersOpen);
  return (
    <button
      type="button"
      className={`btn${open ? ' is-active' : ''}`}
      onClick={() => setOpen(!open)}
      data-testid="open-providers"
      title="Local listener, SSH relay and border0 settings"
      aria-expanded={open}
    >
      Providers
    </button>
  );
}

export function TopBar() {
  const hosts = useHostsStore((s) => s.items);
  const conn = useConnectionStore((s) => s.state);
  const kind = useConnectionStore((s) => s.kind);
  return (
    <header className="top-bar">
      <span className="app-name">clab-publisher</span>
      {kind === 'websocket' && conn !== 'open' ? (
        <span className="pill" data-testid="connection-status" title="Connection between this page and the clab-publisher host">
          <span className="pill-label">Host</span> <StateBadge state={conn === 'connecting' ? 'connecting' : 'failed'} label={conn === 'connecting' ? 'connecting' : 'disconnected'} />
        </span>
      ) : null}
      {hosts.map((h) => (
        <span key={h.id} className="pill" data-testid={`host-status-${h.id}`} title={h.error ? `${h.error}${h.hint ? ` — ${h.hint}` : ''}` : `Docker on ${h.label}`}>
          <span className="pill-label">Docker</span> {h.label} <StateBadge state={h.state} />
        </span>
      ))}
      <span className="spacer" />
      <TunnelSummary />
      <NotificationsToggle />
      <ProvidersButton />
      <AccountsButton />
    </header>
  );
}
