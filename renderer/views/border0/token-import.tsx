import { useEffect, useState, type FormEvent } from 'react';
import type { TokenCandidate } from '../../../shared/account-model';
import { api } from '../../api';
import { upsertAccount } from '../../stores/use-accounts-store';
import { useUiStore } from '../../stores/use-ui-store';

/** Use a token another tool wrote: a file it left, one the user names, or BORDER0_ADMIN_TOKEN. */
export function TokenImport() {
  const showError = useUiStore((s) => s.showError);
  const showInfo = useUiStore((s) => s.showInfo);
  const [candidates, setCandidates] = useState<TokenCandidate[] | null>(null);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api['accounts.tokenCandidates']({ provider: 'border0' }).then(
      (c) => live && setCandidates(c),
      (err: unknown) => {
        if (!live) return;
        setCandidates([]);
        showError(err, 'Looking for border0 token files failed');
      },
    );
    return () => {
      live = false;
    };
  }, [showError]);

  const importFrom = async (from: { path?: string; env?: boolean }) => {
    setBusy(true);
    try {
      const info = await api['accounts.importToken']({ provider: 'border0', ...from });
      upsertAccount(info);
      showInfo(`Imported the border0 token${info.user?.email ? `: logged in as ${info.user.email}` : ''}.`);
      setPath('');
    } catch (err) {
      showError(err, 'Importing the token failed');
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) void importFrom({ path: path.trim() });
  };

  return (
    <div className="form" data-testid="border0-import-section">
      <h4>Import a token</h4>
      {candidates === null ? <p className="muted">Looking for token files…</p> : null}
      {candidates?.length === 0 ? <p className="muted">No token files found.</p> : null}
      {candidates?.length ? (
        <ul className="candidates">
          {candidates.map((c, i) => (
            <li key={c.path} data-testid={`border0-candidate-${i}`} className={c.exists ? undefined : 'is-missing'}>
              <div className="candidate-text">
                <code className="candidate-path">{c.path}</code>
                <span className="help">
                  {c.origin}
                  {c.exists ? '' : ' — not there'}
                </span>
              </div>
              <button type="button" className="btn btn-small" disabled={busy || !c.exists} onClick={() => importFrom({ path: c.path })} data-testid={`border0-import-${i}`} title={`Use the token in ${c.path}`}>
                Import
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="input-row" onSubmit={submit}>
        <input type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="path to a token file on the machine running the app" aria-label="Token file to import" data-testid="border0-import-path" spellCheck={false} />
        <button type="submit" className="btn" disabled={busy || !path.trim()} data-testid="border0-import">
          Import
        </button>
      </form>
      <div>
        <button type="button" className="btn" disabled={busy} onClick={() => importFrom({ env: true })} data-testid="border0-import-env" title="Use the token in the environment variable BORDER0_ADMIN_TOKEN of the app's process">
          Use BORDER0_ADMIN_TOKEN
        </button>
      </div>
    </div>
  );
}
