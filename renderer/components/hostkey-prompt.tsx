import { useState, type ReactNode } from 'react';
import type { HostKeyInfo, ProviderInfo } from '../../shared/model';
import { api } from '../api';
import { useUiStore } from '../stores/use-ui-store';

interface TrustProps {
  hostKey: HostKeyInfo;
  heading: ReactNode;
  /** Where to compare the fingerprint. */
  help: ReactNode;
  onTrust: (fingerprint: string) => Promise<void>;
  /** `hostkey` → hostkey-prompt, hostkey-fingerprint, hostkey-trust, hostkey-cancel. */
  testIdPrefix?: string;
  cancelTitle: string;
}

/** Trust on first use, confirmed by a person who compared the fingerprint (relays and lab hosts). */
export function HostKeyTrust({ hostKey: key, heading, help, onTrust, testIdPrefix: p = 'hostkey', cancelTitle }: TrustProps) {
  const showError = useUiStore((s) => s.showError);
  const dismiss = useUiStore((s) => s.dismissHostKey);
  const [busy, setBusy] = useState(false);
  const trust = async () => {
    setBusy(true);
    try {
      await onTrust(key.fingerprint!);
    } catch (err) {
      showError(err, 'Trusting the host key failed');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="notice notice-warn" role="alertdialog" aria-label="Unknown SSH host key" data-testid={`${p}-prompt`}>
      <div className="notice-body">
        <strong>{heading}</strong>
        <div className="fingerprint">
          <span className="muted">{key.algorithm ?? 'key'}</span> <code data-testid={`${p}-fingerprint`}>{key.fingerprint}</code>
        </div>
        <div className="help">{help}</div>
      </div>
      <div className="notice-actions">
        <button type="button" className="btn btn-primary" disabled={busy || !key.fingerprint} onClick={trust} data-testid={`${p}-trust`} title="Remember this key and connect">
          Trust
        </button>
        <button type="button" className="btn" onClick={() => dismiss(key.fingerprint ?? '')} data-testid={`${p}-cancel`} title={cancelTitle}>
          Cancel
        </button>
      </div>
    </div>
  );
}

interface MismatchProps {
  hostKey: HostKeyInfo;
  heading: ReactNode;
  help: ReactNode;
  action?: ReactNode;
  testId?: string;
}

/** The server now shows a different key than the one trusted: the app refuses to connect. */
export function HostKeyChanged({ hostKey: key, heading, help, action, testId = 'hostkey-mismatch' }: MismatchProps) {
  return (
    <div className="notice notice-bad" role="alert" data-testid={testId}>
      <div className="notice-body">
        <strong>{heading}</strong>
        <div className="fingerprint">
          trusted <code>{key.trustedFingerprint ?? 'unknown'}</code>
        </div>
        <div className="fingerprint">
          now {key.algorithm ?? ''} <code data-testid="hostkey-fingerprint">{key.fingerprint ?? 'unknown'}</code>
        </div>
        <div className="help">{help}</div>
      </div>
      {action ? <div className="notice-actions">{action}</div> : null}
    </div>
  );
}

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
      onTrust={async (fingerprint) => void (await api['providers.trustHostKey']({ id: provider.id, fingerprint }))}
      cancelTitle="Do not connect to this relay for now"
    />
  );
}

/** A relay's changed host key, with "forget" once the user checked why. */
export function HostKeyMismatch({ provider }: { provider: ProviderInfo }) {
  const showError = useUiStore((s) => s.showError);
  const forget = async () => {
    try {
      await api['providers.forgetHostKey']({ id: provider.id });
    } catch (err) {
      showError(err, 'Forgetting the host key failed');
    }
  };
  return (
    <HostKeyChanged
      hostKey={provider.hostKey!}
      heading={`${provider.label}: the relay's host key changed. The app refuses to connect.`}
      help="This happens when the relay was reinstalled or its keys were regenerated — or when someone intercepts the connection. Ask the relay's admin before forgetting the stored key; after that the next connection asks you to trust the new one."
      action={
        <button type="button" className="btn btn-danger" onClick={forget} data-testid="hostkey-forget" title="Forget the stored key for this relay">
          Forget stored key
        </button>
      }
    />
  );
}
