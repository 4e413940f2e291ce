import type { ReactNode } from 'react';
import type { HostKeyInfo } from '../../shared/model';
import { useAction } from '../lib/use-action';
import { useUiStore } from '../stores/use-ui-store';

interface TrustProps {
  hostKey: HostKeyInfo;
  heading: ReactNode;
  /** Where to compare the fingerprint. */
  help: ReactNode;
  onTrust: (fingerprint: string) => Promise<unknown>;
  /** `hostkey` → hostkey-prompt, hostkey-fingerprint, hostkey-trust, hostkey-cancel. */
  testIdPrefix?: string;
  cancelTitle: string;
}

/** Trust on first use, confirmed by a person who compared the fingerprint (relays and lab hosts). */
export function HostKeyTrust({ hostKey: key, heading, help, onTrust, testIdPrefix: p = 'hostkey', cancelTitle }: TrustProps) {
  const dismiss = useUiStore((s) => s.dismissHostKey);
  const trust = useAction(onTrust, { failure: 'Trusting the host key failed' });
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
        <button type="button" className="btn btn-primary" disabled={trust.busy || !key.fingerprint} onClick={() => void trust.run(key.fingerprint!)} data-testid={`${p}-trust`} title="Remember this key and connect">
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
