import type { AccountInfo } from '../../../shared/account-model';
import { Drawer } from '../../components/drawer';
import { useAccountsStore, useBorder0Account } from '../../stores/use-accounts-store';
import { useUiStore } from '../../stores/use-ui-store';
import { cancelLogin, exportToken, logout } from './actions';
import { AccountCard } from './account-card';
import { BrowserLoginButton, LoginWait } from './login';
import { Border0Notices } from './notices';
import { PasswordLogin } from './password-login';
import { TokenImport } from './token-import';

function LoggedOut({ account }: { account: AccountInfo }) {
  const waiting = account.login?.method === 'browser';
  return (
    <>
      <p className="help">
        Sign in on border0&apos;s page with Google, GitHub, Microsoft or an email link; the app keeps the token encrypted and
        never shows it.
      </p>
      <div>
        <BrowserLoginButton disabled={waiting} />
      </div>
      <PasswordLogin mfaPending={account.login?.method === 'password'} />
      <TokenImport />
    </>
  );
}

function Border0Section({ account }: { account: AccountInfo }) {
  const login = account.login;
  return (
    <section className="provider-section account-section" aria-labelledby="border0-account-title" data-testid="border0-section">
      <h3 id="border0-account-title">border0</h3>
      <Border0Notices where="drawer" />
      {account.error ? (
        <p className="error-text" role="alert" data-testid="border0-error">
          {account.error}
        </p>
      ) : null}
      {login?.method === 'browser' ? <LoginWait url={login.url} deadline={login.deadline} onCancel={cancelLogin} /> : null}
      {account.loggedIn ? <AccountCard account={account} onLogout={logout} onExportToken={exportToken} /> : <LoggedOut account={account} />}
      {account.loggedIn && (account.expired || account.rejected) ? (
        <>
          <PasswordLogin mfaPending={login?.method === 'password'} />
          <TokenImport />
        </>
      ) : null}
    </section>
  );
}

/** Side drawer: the accounts with tunnel services (border0 today). */
export function AccountsPanel() {
  const open = useUiStore((s) => s.accountsOpen);
  const setOpen = useUiStore((s) => s.setAccountsOpen);
  const loaded = useAccountsStore((s) => s.loaded);
  const border0 = useBorder0Account();
  if (!open) return null;
  return (
    <Drawer title="Accounts" onClose={() => setOpen(false)} testId="accounts-panel" closeTestId="close-accounts">
      {border0 ? <Border0Section account={border0} /> : <p className="muted">{loaded ? 'No accounts.' : 'Loading accounts…'}</p>}
      <p className="help">
        Tokens stay with the app (encrypted at rest) and are never sent to this page. Running tunnels keep working when a login
        expires; new publications need a valid login.
      </p>
    </Drawer>
  );
}
