import { useState, type FormEvent } from 'react';
import type { AccountInfo } from '../../../shared/account-model';
import { ConfirmButton } from '../../components/confirm-button';
import { TOKEN_FILE_NAMES } from '../../lib/border0';
import { formatDuration } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useNow } from '../../lib/use-now';

/** "expires in 4 h 12 min", ticking; "never expires" for tokens without expiry. */
function Expiry({ account }: { account: AccountInfo }) {
  const now = useNow(account.expiresAt !== undefined);
  const at = account.expiresAt;
  const text = at === undefined ? 'never expires' : account.expired || at <= now ? 'expired' : `expires in ${formatDuration(at - now)}`;
  return (
    <span data-testid="border0-expiry" className={account.expiresSoon || account.expired ? 'error-text' : undefined} title={at ? new Date(at).toLocaleString() : undefined}>
      {text}
    </span>
  );
}

function TokenExport({ onExport }: { onExport: (path: string) => Promise<string> }) {
  const [path, setPath] = useState('');
  const exporting = useAction(onExport, {
    failure: 'Exporting the token failed',
    success: (written) => ({ message: `Token written to ${written}`, hint: 'Readable only by you (0600).' }),
    then: () => setPath(''),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void exporting.run(path.trim());
  };
  return (
    <form className="form" onSubmit={submit}>
      <h4>Export the token</h4>
      <div className="input-row">
        <input type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="~/.border0/token" aria-label="File to write the token to" data-testid="border0-export-path" spellCheck={false} />
        <button type="submit" className="btn" disabled={exporting.busy || !path.trim()} data-testid="border0-export">
          Export
        </button>
      </div>
      <small className="help">
        For border0&apos;s own tools and containerlab&apos;s: the file must be named {TOKEN_FILE_NAMES.map((n, i) => (
          <span key={n}>
            {i ? ', ' : ''}
            <code>{n}</code>
          </span>
        ))}
        . Written on the machine running the app, readable only by you.
      </small>
    </form>
  );
}

interface Props {
  account: AccountInfo;
  onLogout: () => Promise<unknown>;
  onExportToken: (path: string) => Promise<string>;
}

/** Who is logged in, for how long, where the token came from; export and log out. */
export function AccountCard({ account, onLogout, onExportToken }: Props) {
  const u = account.user;
  const logout = useAction(onLogout, { failure: 'Logging out failed' });
  return (
    <div className="account-card" data-testid="border0-account">
      <dl className="facts">
        <dt>User</dt>
        <dd data-testid="border0-user">
          {u?.email ?? u?.userId ?? 'unknown'}
          {u?.serviceAccount ? <span className="muted"> (service account)</span> : null}
        </dd>
        <dt>Organisation</dt>
        <dd data-testid="border0-org">{u?.orgSubdomain ?? u?.orgId ?? '—'}</dd>
        <dt>Token from</dt>
        <dd data-testid="border0-token-source">{account.tokenSource ?? '—'}</dd>
        <dt>Expiry</dt>
        <dd>
          <Expiry account={account} />
        </dd>
      </dl>
      <TokenExport onExport={onExportToken} />
      <div className="form-actions">
        <ConfirmButton onConfirm={logout.run} title="Log out of border0: the app forgets its token" testId="border0-logout">
          Log out
        </ConfirmButton>
      </div>
    </div>
  );
}
