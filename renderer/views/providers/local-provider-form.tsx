import { useState, type FormEvent } from 'react';
import type { ProviderInfo } from '../../../shared/model';
import { SaveRow } from '../../components/save-row';
import { useAction } from '../../lib/use-action';
import { useTimedFlag } from '../../lib/use-timed-flag';
import { configureProvider } from './actions';
import { UdpIdleField } from './udp-idle-field';

/** The local provider: which address of this computer the listeners bind to. */
export function LocalProviderForm({ provider }: { provider: ProviderInfo }) {
  const [bind, setBind] = useState(() => String(provider.settings.bindAddress ?? '127.0.0.1'));
  const [idle, setIdle] = useState(() => String(provider.settings.udpIdleSeconds ?? 60));
  const [saved, markSaved] = useTimedFlag(2000);
  const configure = useAction(configureProvider, { failure: 'Saving the local provider failed', then: markSaved });

  const save = (e: FormEvent) => {
    e.preventDefault();
    void configure.run({ id: 'local', bindAddress: bind.trim(), udpIdleSeconds: Number(idle) });
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
      <UdpIdleField value={idle} onChange={setIdle} testId="local-udp-idle" />
      <SaveRow saved={saved} testId="local-save" title="Save the local provider's settings (they apply to new publications)" />
    </form>
  );
}
