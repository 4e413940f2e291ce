import { useState, type FormEvent } from 'react';
import type { Share } from '../../../shared/share-model';
import { FormError } from '../../components/form-error';
import { parseAccessList } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { updateShare } from './actions';

const join = (l: readonly string[] | undefined) => (l ?? []).join(', ');

/**
 * Who may connect: the share's source list, and per port a list that replaces it. Applies at
 * once; open connections from sources no longer allowed are cut.
 */
export function ShareRules({ share }: { share: Share }) {
  const [allow, setAllow] = useState(join(share.allow));
  const [perPort, setPerPort] = useState<Record<string, string>>(() => Object.fromEntries(share.ports.map((p) => [`${p.node}:${p.port}`, p.allow ? join(p.allow) : ''])));
  const saving = useAction(updateShare, {
    success: { message: `Rules of "${share.title}" saved`, hint: 'They apply to new connections at once; open connections from sources no longer allowed are cut.' },
  });
  const save = (e: FormEvent) => {
    e.preventDefault();
    void saving.run({
      id: share.id,
      allow: parseAccessList(allow),
      ports: share.ports.map((p) => {
        const text = perPort[`${p.node}:${p.port}`]?.trim();
        return text ? { node: p.node, port: p.port, allow: parseAccessList(text) } : { node: p.node, port: p.port };
      }),
    });
  };
  return (
    <form className="share-rules form" onSubmit={save} noValidate aria-label="Allowed sources">
      <h4>Allowed sources</h4>
      <label className="field">
        <span>Whole share</span>
        <input type="text" value={allow} onChange={(e) => setAllow(e.target.value)} placeholder="empty: anyone who finds the port" data-testid="share-rules-allow" />
      </label>
      <details>
        <summary>Per port (replaces the share&apos;s list for that port)</summary>
        {share.ports.map((p) => {
          const key = `${p.node}:${p.port}`;
          return (
            <label key={key} className="field">
              <span className="mono">{key}</span>
              <input type="text" value={perPort[key] ?? ''} onChange={(e) => setPerPort((s) => ({ ...s, [key]: e.target.value }))} placeholder="empty: the share's list" data-testid={`share-rules-port-${p.node}-${p.port}`} />
            </label>
          );
        })}
      </details>
      <p className="help">IPv4/IPv6 addresses and CIDRs. Enforced by the local listener and the SSH relay before the node is dialled; border0 ports use their identity lists instead.</p>
      <FormError error={saving.error} testId="share-rules-error" />
      <div className="form-actions">
        <button type="submit" className="btn btn-small" data-testid="share-rules-save">
          Save rules
        </button>
      </div>
    </form>
  );
}
