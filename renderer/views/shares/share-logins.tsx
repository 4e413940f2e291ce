import { useState } from 'react';
import { FALLBACK_SSH_USER, kindDefaultUser } from '../../../shared/kind-users';
import type { Share } from '../../../shared/share-model';
import { useAction } from '../../lib/use-action';
import { setShareLogin, updateShare } from './actions';

function NodeLogin({ share, node, kind }: { share: Share; node: string; kind: string }) {
  const own = share.credentials.find((c) => c.node === node);
  const fallback = kindDefaultUser(kind);
  const [user, setUser] = useState(own?.user ?? fallback?.user ?? FALLBACK_SSH_USER);
  const [password, setPassword] = useState('');
  // The password goes to the core's encrypted store; the page keeps nothing.
  const save = useAction(setShareLogin, { failure: `Saving the login of ${node} failed`, then: () => setPassword('') });
  const forget = useAction(setShareLogin, { failure: 'Removing the password failed' });
  return (
    <div className="share-login" data-testid={`share-login-${node}`}>
      <span className="mono">{node}</span>
      <input type="text" value={user} onChange={(e) => setUser(e.target.value)} aria-label={`User on ${node}`} />
      <input
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoComplete="new-password"
        aria-label={`Password on ${node}`}
        placeholder={own?.hasPassword ? 'set (stored encrypted)' : fallback ? `${kind} default` : 'none'}
      />
      <button type="button" className="btn btn-small" disabled={save.busy} onClick={() => void save.run({ id: share.id, node, user, password: password ? password : undefined })}>
        Save
      </button>
      {own?.hasPassword ? (
        <button type="button" className="btn-link" disabled={forget.busy} onClick={() => void forget.run({ id: share.id, node, user, password: null })}>
          forget password
        </button>
      ) : null}
    </div>
  );
}

/** Which user the card names per node; passwords only go on the card with "include credentials". */
export function ShareLogins({ share }: { share: Share }) {
  const include = useAction(updateShare, { failure: 'Saving failed', exclusive: false });
  const nodes = share.ports.filter((p, i, all) => all.findIndex((q) => q.node === p.node) === i);
  return (
    <details className="share-logins">
      <summary>Logins on the card</summary>
      <label className="field field-check">
        <input
          type="checkbox"
          checked={share.includeCredentials}
          onChange={(e) => void include.run({ id: share.id, includeCredentials: e.target.checked })}
          data-testid="share-include-credentials-toggle"
        />
        <span>Include credentials on the card</span>
      </label>
      {nodes.map((p) => (
        <NodeLogin key={p.node} share={share} node={p.node} kind={p.kind} />
      ))}
      <p className="help">Users default to the kind&apos;s (containerlab&apos;s defaults), else root. A password set here is stored encrypted by the app.</p>
    </details>
  );
}
