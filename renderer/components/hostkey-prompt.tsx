import { useState } from 'react';
import type { ProviderInfo } from '../../shared/model';
import { api } from '../api';
import { useUiStore } from '../stores/use-ui-store';

/** Trust on first use, confirmed by a person who compared the fingerprint. */
export function HostKeyPrompt({ provider }: { provider: ProviderInfo }) {
  const key = provider.hostKey!;
  const showError = useUiStore((s) => s.showError);
  const dismiss = useUiStore((s) => s.dismissHostKey);
  const [busy, setBusy] = useState(false);
  const relay = String(provider.settings.host ?? provider.label);

  const trust = async () => {
    setBusy(true);
    try {
      await api['providers.trustHostKey']({ id: provider.id, fingerprint: key.fingerprint! });
    } catch (err) {
      showError(err, 'Trusting the host key failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="notice notice-warn" role="alertdialog" aria-label="Unknown SSH host key" data-testid="hostkey-prompt">
      <div className="notice-body">
        <strong>{provider.label}: the relay {relay} presented a host key this app has not seen before.</strong>
        <div className="fingerprint">
          <span className="muted">{key.algorithm ?? 'key'}</span>{' '}
          <code data-testid="hostkey-fingerprint">{key.fingerprint}</code>
        </div>
        <div className="help">
          Compare it with the output of <code>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</code> on the relay (or ask its
          admin). Trust it only if they match; otherwise someone may be in the middle.
        </div>
      </div>
      <div className="notice-actions">
        <button type="button" className="btn btn-primary" disabled={busy || !key.fingerprint} onClick={trust} data-testid="hostkey-trust" title="Remember this key and connect">
          Trust
        </button>
        <button type="button" className="btn" onClick={() => dismiss(key.fingerprint ?? '')} data-testid="hostkey-cancel" title="Do not connect to this relay for now">
          Cancel
        </button>
      </div>
    </div>
  );
}

/** The relay now shows a different key than the one trusted: refuse loudly, allow forgetting. */
export function HostKeyMismatch({ provider }: { provider: ProviderInfo }) {
  const key = provider.hostKey!;
  const showError = useUiStore((s) => s.showError);
  const forget = async () => {
    try {
      await api['providers.forgetHostKey']({ id: provider.id });
    } catch (err) {
      showError(err, 'Forgetting the host key failed');
    }
  };
  return (
    <div className="notice notice-bad" role="alert" data-testid="hostkey-mismatch">
      <div className="notice-body">
        <strong>{provider.label}: the relay&apos;s host key changed. The app refuses to connect.</strong>
        <div className="fingerprint">
          trusted <code>{key.trustedFingerprint ?? 'unknown'}</code>
        </div>
        <div className="fingerprint">
          now {key.algorithm ?? ''} <code data-testid="hostkey-fingerprint">{key.fingerprint ?? 'unknown'}</code>
        </div>
        <div className="help">
          This happens when the relay was reinstalled or its keys were regenerated — or when someone intercepts the
          connection. Ask the relay&apos;s admin before forgetting the stored key; after that the next connection asks you to
          trust the new one.
        </div>
      </div>
      <div className="notice-actions">
        <button type="button" className="btn btn-danger" onClick={forget} data-testid="hostkey-forget" title="Forget the stored key for this relay">
          Forget stored key
        </button>
      </div>
    </div>
  );
}
