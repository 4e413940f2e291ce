import type { AccountInfo } from '../../../shared/account-model';
import { useNow } from '../../lib/use-now';
import { useBorder0Account } from '../../stores/use-accounts-store';
import { useUiStore } from '../../stores/use-ui-store';
import { BrowserLoginButton } from './login';

const SOON_MS = 15 * 60_000;

/** In the banner the button opens the Accounts drawer; in the drawer it starts the login. */
function LoginAction({ where, label, testId }: { where: 'banner' | 'drawer'; label: string; testId: string }) {
  const openAccounts = useUiStore((s) => s.setAccountsOpen);
  const loginRunning = useBorder0Account()?.login !== undefined;
  if (where === 'drawer') return <BrowserLoginButton label={label} testId={testId} disabled={loginRunning} />;
  return (
    <button type="button" className="btn btn-primary" onClick={() => openAccounts(true)} data-testid={testId} title="Open Accounts to log in to border0">
      {label}
    </button>
  );
}

function AccountNotice({ account, where }: { account: AccountInfo; where: 'banner' | 'drawer' }) {
  const at = account.expiresAt;
  const now = useNow(at !== undefined);
  const expired = account.expired || (account.loggedIn && at !== undefined && at <= now);
  if (expired || account.rejected) {
    return (
      <div className="notice notice-bad" role="alert" data-testid="border0-expired">
        <div className="notice-body">
          <strong>{account.rejected ? 'Logged out by border0' : 'Your border0 login expired'}</strong>
          <div>Running tunnels keep working; new publications need a login.</div>
        </div>
        <div className="notice-actions">
          <LoginAction where={where} label="Log in" testId="border0-relogin" />
        </div>
      </div>
    );
  }
  if (!account.loggedIn || at === undefined || !(account.expiresSoon || at - now <= SOON_MS)) return null;
  // Floor, like the account's own "expires in" line, so both say the same minute.
  const min = Math.max(1, Math.floor((at - now) / 60_000));
  return (
    <div className="notice notice-warn" role="status" data-testid="border0-expiry-warning">
      <div className="notice-body">
        <strong>
          Your border0 login expires in {min} min: log in again to keep publishing new ports; running tunnels keep working.
        </strong>
      </div>
      <div className="notice-actions">
        <LoginAction where={where} label="Log in again" testId="border0-expiry-login" />
      </div>
    </div>
  );
}

/**
 * Expiry warning and "logged out" notice. At the top of the app, or inside the Accounts drawer
 * while it is open (never both, so each notice exists once).
 */
export function Border0Notices({ where }: { where: 'banner' | 'drawer' }) {
  const account = useBorder0Account();
  const drawerOpen = useUiStore((s) => s.accountsOpen);
  if ((where === 'drawer') !== drawerOpen || !account) return null;
  return <AccountNotice account={account} where={where} />;
}
