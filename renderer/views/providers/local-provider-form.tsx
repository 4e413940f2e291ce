import { useState, type FormEvent } from 'react';
import type { ProviderInfo } from '../../../shared/model';
import { api } from '../../api';
import { useUiStore } from '../../stores/use-ui-store';
import { useSaved } from '../../lib/use-saved';

/** The local provider: which address of this computer the listeners bind to. */
export function LocalProviderForm({ provider }: { provider: ProviderInfo }) {
  const [bind, setBind] = useState(() => String(provider.settings.bindAddress ?? '127.0.0.1'));
  const [saved, markSaved] = useSaved();
  const showError = useUiStore((s) => s.showError);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api['providers.configure']({ id: 'local', bindAddress: bind.trim() });
      markSaved();
    } catch (err) {
      showError(err, 'Saving the local provider failed');
    }
  };

  return (
    <form className="form provider-section" onSubmit={save} aria-labelledby="local-title">
      <h3 id="local-title">{provider.label}</h3>
      <p className="help">
        Listens on this computer and forwards to the node. 127.0.0.1 keeps it to this machine; 0.0.0.0 (or one of its
        addresses) lets others on your network connect.
      </p>
      <label className="field">
        <span>Bind address</span>
        <input type="text" value={bind} onChange={(e) => setBind(e.target.value)} data-testid="local-bind" spellCheck={false} />
      </label>
      <div className="form-actions">
        {saved ? <span className="saved">Saved</span> : null}
        <button type="submit" className="btn btn-primary" data-testid="local-save" title="Save the local provider's bind address">
          Save
        </button>
      </div>
    </form>
  );
}
