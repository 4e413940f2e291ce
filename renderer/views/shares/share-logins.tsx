import { useState } from 'react';
import { FALLBACK_SSH_USER, kindDefaultUser } from '../../../shared/kind-users';
import type { Share } from '../../../shared/share-model';
import { api } from '../../api';
import { useUiStore } from '../../stores/use-ui-store';

function NodeLogin({ share, node, kind }: { share: Share; node: string; kind: string }) {
  const showError = useUiStore((s) => s.showError);
  const own = share.credentials.find((c) => c.node === node);
  const fallback = kindDefaultUser(kind);
  const [user, setUser] = useState(own?.user ?? fallback?.user ?? FALLBACK_SSH_USER);
  const [password, setPassword] = useState('');
  const save = async () => {
    try {
      // The password goes to the core's encrypted store; the page keeps nothing.
      await api['shares.setCredentials']({ id: share.id, node, user, password: password ? password : undefined });
      setPassword('');
    } catch (err) {
      showError(err, `Saving the login of ${node} failed`);
    }
  };
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
      <button type="button" className="btn btn-small" onClick={save}>
        Save
      </button>
      {own?.hasPassword ? (
        <button type="button" className="btn-link" onClick={() => api['shares.setCredentials']({ id: share.id, node, user, password: null }).catch((e: unknown) => showError(e, 'Removing the password failed'))}>
          forget password
        </button>
      ) : null}
    </div>
  );
}

/** Which user the card names per node; passwords only go on the card with "include credentials". */
export function ShareLogins({ share }: { share: Share }) {
  const showError = useUiStore((s) => s.showError);
  const nodes = share.ports.filter((p, i, all) => all.findIndex((q) => q.node === p.node) === i);
  return (
    <details className="share-logins">
      <summary>Logins on the card</summary>
      <label className="field field-check">
        <input
          type="checkbox"
          checked={share.includeCredentials}
          onChange={(e) => api['shares.update']({ id: share.id, includeCredentials: e.target.checked }).catch((err: unknown) => showError(err, 'Saving failed'))}
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
