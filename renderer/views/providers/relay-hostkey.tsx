import type { ProviderInfo } from '../../../shared/model';
import { HostKeyChanged, HostKeyTrust } from '../../components/hostkey-prompt';
import { useAction } from '../../lib/use-action';
import { forgetRelayKey, trustRelayKey } from './actions';

/** A relay's unknown host key. */
export function HostKeyPrompt({ provider }: { provider: ProviderInfo }) {
  const relay = String(provider.settings.host ?? provider.label);
  return (
    <HostKeyTrust
      hostKey={provider.hostKey!}
      heading={`${provider.label}: the relay ${relay} presented a host key this app has not seen before.`}
      help={
        <>
          Compare it with the output of <code>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</code> on the relay (or ask its
          admin). Trust it only if they match; otherwise someone may be in the middle.
        </>
      }
      onTrust={(fingerprint) => trustRelayKey(provider.id, fingerprint)}
      cancelTitle="Do not connect to this relay for now"
    />
  );
}

/** A relay's changed host key, with "forget" once the user checked why. */
export function HostKeyMismatch({ provider }: { provider: ProviderInfo }) {
  const forget = useAction(forgetRelayKey, { failure: 'Forgetting the host key failed' });
  return (
    <HostKeyChanged
      hostKey={provider.hostKey!}
      heading={`${provider.label}: the relay's host key changed. The app refuses to connect.`}
      help="This happens when the relay was reinstalled or its keys were regenerated — or when someone intercepts the connection. Ask the relay's admin before forgetting the stored key; after that the next connection asks you to trust the new one."
      action={
        <button type="button" className="btn btn-danger" disabled={forget.busy} onClick={() => void forget.run(provider.id)} data-testid="hostkey-forget" title="Forget the stored key for this relay">
          Forget stored key
        </button>
      }
    />
  );
}
