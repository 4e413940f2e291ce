import type { ProviderInfo } from '../../../shared/model';
import { Drawer } from '../../components/drawer';
import { useProvidersStore } from '../../stores/use-providers-store';
import { useUiStore } from '../../stores/use-ui-store';
import { Border0ProviderForm } from '../border0/provider-form';
import { HostKeyNotices } from './hostkey-notices';
import { LocalProviderForm } from './local-provider-form';
import { ProviderStatus } from '../../components/provider-status';
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

function ProviderSection({ provider: p }: { provider: ProviderInfo }) {
  if (p.kind === 'local') return <LocalProviderForm provider={p} />;
  if (p.kind === 'ssh') return <SshProviderForm provider={p} />;
  if (p.kind === 'border0') return <Border0ProviderForm provider={p} />;
  return <OtherProvider provider={p} />;
}

/** Side drawer: how publications reach the outside. */
export function ProvidersPanel() {
  const open = useUiStore((s) => s.providersOpen);
  const setOpen = useUiStore((s) => s.setProvidersOpen);
  const providers = useProvidersStore((s) => s.items);
  if (!open) return null;
  return (
    <Drawer title="Providers" onClose={() => setOpen(false)} testId="providers-panel" closeTestId="close-providers">
      <HostKeyNotices where="drawer" />
      {providers.length === 0 ? <p className="muted">Loading providers…</p> : null}
      {providers.map((p) => (
        <ProviderSection key={p.id} provider={p} />
      ))}
      <p className="help">
        Publications keep their provider; change a provider&apos;s settings
        here and its tunnels reconnect with the new ones.
      </p>
    </Drawer>
  );
}
