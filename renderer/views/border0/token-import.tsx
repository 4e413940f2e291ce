import { useEffect, useState, type FormEvent } from 'react';
import type { TokenCandidate } from '../../../shared/account-model';
import { useAction } from '../../lib/use-action';
import { useUiStore } from '../../stores/use-ui-store';
import { importToken, tokenCandidates } from './actions';

/** Use a token another tool wrote: a file it left, one the user names, or BORDER0_ADMIN_TOKEN / BORDER0_AUTH_TOKEN. */
export function TokenImport() {
  const showError = useUiStore((s) => s.showError);
  const [candidates, setCandidates] = useState<TokenCandidate[] | null>(null);
  const [path, setPath] = useState('');
  const importing = useAction(importToken, {
    failure: 'Importing the token failed',
    success: (info) => `Imported the border0 token${info.user?.email ? `: logged in as ${info.user.email}` : ''}.`,
    then: () => setPath(''),
  });

  useEffect(() => {
    let live = true;
    tokenCandidates().then(
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

  const importFrom = (from: { path?: string; env?: boolean }) => void importing.run(from);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) importFrom({ path: path.trim() });
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
              <button type="button" className="btn btn-small" disabled={importing.busy || !c.exists} onClick={() => importFrom({ path: c.path })} data-testid={`border0-import-${i}`} title={`Use the token in ${c.path}`}>
                Import
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="input-row" onSubmit={submit}>
        <input type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="path to a token file on the machine running the app" aria-label="Token file to import" data-testid="border0-import-path" spellCheck={false} />
        <button type="submit" className="btn" disabled={importing.busy || !path.trim()} data-testid="border0-import">
          Import
        </button>
      </form>
      <div>
        <button type="button" className="btn" disabled={importing.busy} onClick={() => importFrom({ env: true })} data-testid="border0-import-env" title="Use the token in the environment variable BORDER0_ADMIN_TOKEN (containerlab's) or BORDER0_AUTH_TOKEN (the SDK's) of the app's process">
          Use BORDER0_ADMIN_TOKEN / _AUTH_TOKEN
        </button>
      </div>
    </div>
  );
}
