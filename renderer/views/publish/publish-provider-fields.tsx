import type { ProviderInfo, PublicationType } from '../../../shared/model';
import { useUiStore } from '../../stores/use-ui-store';

interface Props {
  providers: ProviderInfo[];
  provider: ProviderInfo | undefined;
  providerId: string;
  onProvider: (id: string) => void;
  type: PublicationType;
  access: string;
  onAccess: (v: string) => void;
  publicPort: string;
  onPublicPort: (v: string) => void;
}

/** border0 can be chosen before logging in: the dialog then offers the login instead of failing. */
const selectable = (p: ProviderInfo) => p.configured || p.kind === 'border0';
const unconfiguredNote = (p: ProviderInfo) => (p.configured ? '' : p.kind === 'border0' ? ' — log in first' : ' — configure in Providers');

function accessHelp(provider: ProviderInfo | undefined, providerId: string, accessControl: boolean): string {
  if (provider?.kind === 'border0') return 'Empty: anyone with the address can connect. With a list, people sign in with border0 first.';
  if (accessControl) return 'Comma-separated emails and domains allowed in; empty lets anyone in.';
  return `${provider?.label ?? providerId} cannot check who connects: anyone who can reach the address gets through.`;
}

/** Provider choice and what it allows: access list, public port. */
export function ProviderFields({ providers, provider, providerId, onProvider, type, access, onAccess, publicPort, onPublicPort }: Props) {
  const accessControl = provider?.capabilities.accessControl ?? false;
  const border0 = provider?.kind === 'border0';
  const list = providers.length ? providers : [{ id: 'local', label: 'Local', configured: true } as ProviderInfo];
  return (
    <>
      <label className="field">
        <span>Provider</span>
        <select value={providerId} onChange={(e) => onProvider(e.target.value)} data-testid="publish-provider">
          {list.map((p) => (
            <option key={p.id} value={p.id} disabled={!selectable(p)}>
              {p.label}
              {unconfiguredNote(p)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{border0 ? 'Who may connect: emails and domains (comma-separated)' : 'Access'}</span>
        <input
          type="text"
          value={accessControl ? access : ''}
          onChange={(e) => onAccess(e.target.value)}
          disabled={!accessControl}
          placeholder={accessControl ? 'anyone; or alice@example.com, example.org' : 'anyone who can reach the address'}
          data-testid="publish-access"
          aria-describedby="publish-access-help"
        />
        <small id="publish-access-help" className="help">
          {accessHelp(provider, providerId, accessControl)}
        </small>
        {border0 ? (
          <small className={`help${type === 'tcp' && access.trim() ? ' help-strong' : ''}`} data-testid="publish-tls-note">
            An identity-aware tcp port becomes tls (as the original feature did): people connect through border0&apos;s client.
          </small>
        ) : null}
      </label>
      {provider?.capabilities.choosePort ? (
        <label className="field">
          <span>Public port</span>
          <input
            type="number"
            min={0}
            max={65535}
            value={publicPort}
            onChange={(e) => onPublicPort(e.target.value)}
            placeholder="any free port"
            data-testid="publish-public-port"
          />
        </label>
      ) : null}
    </>
  );
}

/** Shown instead of a publish that would fail: border0 has no valid login. */
export function Border0LoginNeeded() {
  const close = useUiStore((s) => s.closePublish);
  const openAccounts = useUiStore((s) => s.setAccountsOpen);
  return (
    <div className="notice notice-warn" role="alert" data-testid="publish-border0-login">
      <div className="notice-body">
        <strong>Log in to border0 first.</strong>
        <span className="help">Log in (or import a token) in Accounts, then publish this port again.</span>
      </div>
      <div className="notice-actions">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => {
            close();
            openAccounts(true);
          }}
          data-testid="publish-border0-open-accounts"
        >
          Log in
        </button>
      </div>
    </div>
  );
}
