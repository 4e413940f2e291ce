import { useState, type FormEvent } from 'react';
import type { ProviderInfo } from '../../../shared/model';
import { canPublishWith, useBorder0Account } from '../../stores/use-accounts-store';
import { useUiStore } from '../../stores/use-ui-store';
import { ProviderStatus } from '../../components/provider-status';
import { SaveRow } from '../../components/save-row';
import { useAction } from '../../lib/use-action';
import { useTimedFlag } from '../../lib/use-timed-flag';
import { configureBorder0 } from './actions';

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const num = (v: string) => (v.trim() === '' ? undefined : Number(v));

/** Who is logged in, or a way to the Accounts drawer. */
function Border0Login({ configured }: { configured: boolean }) {
  const account = useBorder0Account();
  const openAccounts = useUiStore((s) => s.setAccountsOpen);
  const ok = configured && canPublishWith(account);
  return (
    <div className="provider-status" data-testid="border0-login-state">
      {ok ? (
        <span>Logged in as <b>{account?.user?.email ?? account?.user?.userId}</b>{account?.user?.orgSubdomain ? ` (${account.user.orgSubdomain})` : ''}</span>
      ) : (
        <span className="muted">{account?.expired ? 'Login expired.' : account?.rejected ? 'Logged out by border0.' : 'Not logged in.'}</span>
      )}
      <button type="button" className="btn-link" onClick={() => openAccounts(true)} data-testid="border0-open-accounts">
        {ok ? 'Account' : 'Log in'}
      </button>
    </div>
  );
}

/** border0: service URLs, the dataplane's proxy and the account's limits. */
export function Border0ProviderForm({ provider }: { provider: ProviderInfo }) {
  const s = provider.settings;
  const [f, setF] = useState(() => ({
    apiUrl: str(s.apiUrl),
    portalUrl: str(s.portalUrl),
    tunnelServer: str(s.tunnelServer),
    proxy: str(s.proxy),
    limitTcp: str(s.limitTcp),
    limitHttp: str(s.limitHttp),
  }));
  const [proxyEdited, setProxyEdited] = useState(false);
  const [saved, markSaved] = useTimedFlag(2000);
  const configure = useAction(configureBorder0, {
    failure: 'Saving the border0 settings failed',
    then: () => {
      setProxyEdited(false);
      markSaved();
    },
  });
  const set = (k: keyof typeof f) => (e: { target: HTMLInputElement }) => {
    if (k === 'proxy') setProxyEdited(true);
    setF({ ...f, [k]: e.target.value });
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    void configure.run({
      // An emptied field goes back to the default (environment or built-in).
      apiUrl: f.apiUrl.trim(),
      portalUrl: f.portalUrl.trim(),
      tunnelServer: f.tunnelServer.trim(),
      // The stored proxy keeps its password unless the user typed a new one ('' removes it).
      proxy: proxyEdited ? f.proxy.trim() : undefined,
      limitTcp: num(f.limitTcp),
      limitHttp: num(f.limitHttp),
    });
  };

  const input = (k: keyof typeof f, label: string, testId: string, extra: Record<string, string> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input type="text" value={f[k]} onChange={set(k)} data-testid={testId} spellCheck={false} {...extra} />
    </label>
  );

  return (
    <form className="form provider-section" onSubmit={save} aria-labelledby="border0-title" data-testid="border0-settings">
      <h3 id="border0-title">{provider.label}</h3>
      <p className="help">The border0 service: public DNS names, optional sign-in for whoever connects.</p>
      <ProviderStatus provider={provider} />
      <Border0Login configured={provider.configured} />
      {input('apiUrl', 'API URL', 'border0-api-url', { placeholder: 'default: BORDER0_API or https://api.border0.com/api/v1' })}
      {input('portalUrl', 'Portal URL', 'border0-portal-url', { placeholder: 'default: BORDER0_WEB_URL or https://portal.border0.com' })}
      {input('tunnelServer', 'Tunnel server (host:port)', 'border0-tunnel-server', { placeholder: 'default: BORDER0_TUNNEL or tunnel.border0.com:22' })}
      <small className="help">
        The API and portal URLs must be https (http only on this computer). Changing either signs you out of border0 first:
        the token is only ever sent where it came from.
      </small>
      {input('proxy', 'HTTP CONNECT proxy for API calls and tunnels', 'border0-proxy', { placeholder: 'http://proxy:3128 or https://user:pass@proxy:3129', autoComplete: 'off' })}
      <small className="help">
        Empty: API calls follow HTTPS_PROXY / HTTP_PROXY / NO_PROXY, tunnels connect directly. A proxy with a password must be
        https:// (or on this computer). The password is stored encrypted and never shown again; to change the proxy, type it
        in full. Clear the field and save to remove it.
      </small>
      <div className="field-row field-row-even">
        {input('limitTcp', 'Limit tcp/tls sockets', 'border0-limit-tcp', { inputMode: 'numeric', placeholder: 'no limit' })}
        {input('limitHttp', 'Limit http sockets', 'border0-limit-http', { inputMode: 'numeric', placeholder: 'no limit' })}
      </div>
      <small className="help">Your plan&apos;s limits, checked before asking border0 for a new socket.</small>
      <SaveRow saved={saved} testId="border0-save" title="Save; border0 tunnels reconnect with the new settings" />
    </form>
  );
}
