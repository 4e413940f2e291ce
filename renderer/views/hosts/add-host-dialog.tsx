import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error';
import { Modal } from '../../components/modal';
import { useAction } from '../../lib/use-action';
import { addHost } from './actions';

/** Same rule as the contract's `hosts.add` schema, checked here to answer before a round trip. */
const URL_RE = /^ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.:_[\]-]+(:\d{1,5})?$/;

/** ssh://user@host[:port], key file or agent, label → `hosts.add`; errors stay in the form. */
export function AddHostDialog({ onClose }: { onClose: () => void }) {
  const [f, setF] = useState({ url: '', keyFile: '', useAgent: false, label: '' });
  // An unknown host key has its own prompt at the top, which stays until decided.
  const add = useAction(addHost, { success: (host) => `Added lab host ${host.label}`, then: onClose });
  const set = (k: keyof typeof f) => (e: { target: HTMLInputElement }) =>
    setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const url = f.url.trim();
    if (!URL_RE.test(url)) {
      add.setError({ message: 'Expected ssh://user@host or ssh://user@host:port', hint: 'For example ssh://clab@lab1.example.net:22' });
      return;
    }
    await add.run({ url, label: f.label.trim() || undefined, keyFile: f.useAgent ? undefined : f.keyFile.trim() || undefined, useAgent: f.useAgent });
  };

  return (
    <Modal title="Add a lab host" onClose={onClose} testId="host-add-dialog">
      <form className="form" onSubmit={submit}>
        <p className="help">Docker on another machine, over SSH: its labs appear here and their node ports are reached through that connection.</p>
        <label className="field">
          <span>Address</span>
          <input type="text" value={f.url} onChange={set('url')} placeholder="ssh://user@host[:port]" data-testid="host-url" spellCheck={false} autoFocus required />
        </label>
        <label className="field">
          <span>Private key file</span>
          <input type="text" value={f.keyFile} onChange={set('keyFile')} placeholder="~/.ssh/id_ed25519 on the machine running the app" data-testid="host-keyfile" spellCheck={false} disabled={f.useAgent} />
        </label>
        <label className="field field-check">
          <input type="checkbox" checked={f.useAgent} onChange={set('useAgent')} data-testid="host-agent" />
          <span>Use ssh-agent (SSH_AUTH_SOCK) instead of a key file</span>
        </label>
        <label className="field">
          <span>Label</span>
          <input type="text" value={f.label} onChange={set('label')} placeholder="the host name when empty" maxLength={64} data-testid="host-label" />
        </label>
        <FormError error={add.error} testId="host-add-error" />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} title="Close without adding (Escape)">
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={add.busy} data-testid="host-submit" title="Connect to the host and add it">
            {add.busy ? 'Adding…' : 'Add'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
