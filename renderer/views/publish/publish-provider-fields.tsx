import { border0SocketType } from '../../../shared/border0-sockets';
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
  if (provider?.kind === 'border0') return "Everyone signs in with border0 first. Empty: your organisation's border0 policies decide who gets in; with a list, only these emails and domains.";
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
          placeholder={border0 ? "your organisation's policies decide; or alice@example.com, example.org" : accessControl ? 'anyone; or alice@example.com, example.org' : 'anyone who can reach the address'}
          data-testid="publish-access"
          aria-describedby="publish-access-help"
        />
        <small id="publish-access-help" className="help">
          {accessHelp(provider, providerId, accessControl)}
        </small>
        {border0 && type !== 'udp' ? <Border0TypeNote type={type} /> : null}
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

/** What viewers of this type need at border0, said before publishing (shared/border0-viewer.ts has the commands). */
function Border0TypeNote({ type }: { type: PublicationType }) {
  const socket = border0SocketType(type).socketType;
  if (socket === 'tls') {
    return (
      <small className="help help-strong" data-testid="publish-tls-note">
        border0 has no anonymous TCP: viewers connect with <code>border0 client tls</code> (for SSH, as ssh&apos;s ProxyCommand).
      </small>
    );
  }
  if (socket === 'ssh') {
    return (
      <small className="help help-strong" data-testid="publish-ssh-note">
        border0 ends SSH and logs in to the node with a certificate from your organisation&apos;s SSH CA: the node must trust that CA (a
        password-only node does not work). Viewers use <code>border0 client ssh</code>. For plain SSH to the node, publish it as tcp.
      </small>
    );
  }
  return (
    <small className="help" data-testid="publish-http-note">
      Viewers open https://&lt;DNS name&gt;/ in a browser and sign in with border0.
    </small>
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
