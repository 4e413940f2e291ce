import { useEffect, useRef } from 'react';
import type { ProviderInfo } from '../../shared/model';
import { useProvidersStore } from '../stores/use-providers-store';
import { useUiStore } from '../stores/use-ui-store';
import { HostKeyNotices } from './hostkey-notices';
import { LocalProviderForm } from './local-provider-form';
import { ProviderStatus } from './provider-status';
import { SshProviderForm } from './ssh-provider-form';

function OtherProvider({ provider }: { provider: ProviderInfo }) {
  return (
    <section className="provider-section" aria-label={provider.label}>
      <h3>{provider.label}</h3>
      <ProviderStatus provider={provider} />
      <p className="help">
        Types {provider.capabilities.types.join(', ')}; access control {provider.capabilities.accessControl ? 'yes' : 'no'}.
      </p>
    </section>
  );
}

/** Side drawer: how publications reach the outside. */
export function ProvidersPanel() {
  const open = useUiStore((s) => s.providersOpen);
  const setOpen = useUiStore((s) => s.setProvidersOpen);
  const providers = useProvidersStore((s) => s.items);
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!open) return;
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('.modal')) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, setOpen]);

  if (!open) return null;
  return (
    <aside ref={ref} className="drawer" data-testid="providers-panel" aria-labelledby="providers-title" tabIndex={-1}>
      <header className="drawer-header">
        <h2 id="providers-title">Providers</h2>
        <button type="button" className="btn-icon" title="Close (Escape)" aria-label="Close providers" onClick={() => setOpen(false)} data-testid="close-providers">
          ×
        </button>
      </header>
      <div className="drawer-body">
        <HostKeyNotices where="drawer" />
        {providers.length === 0 ? <p className="muted">Loading providers…</p> : null}
        {providers.map((p) =>
          p.kind === 'local' ? (
            <LocalProviderForm key={p.id} provider={p} />
          ) : p.kind === 'ssh' ? (
            <SshProviderForm key={p.id} provider={p} />
          ) : (
            <OtherProvider key={p.id} provider={p} />
          ),
        )}
        <p className="help">
          Publications keep their provider; change a provider&apos;s settings
          here and its tunnels reconnect with the new ones.
        </p>
      </div>
    </aside>
  );
}
