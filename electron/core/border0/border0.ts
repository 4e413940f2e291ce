/**
 * border0, built in one place: its settings, the account (token, logins) and the tunnel
 * provider share one API client configuration. The composition root calls this once and
 * hands the account to the RPC layer and the provider to the registry.
 *
 * Inside the folder the parts depend one way: api/ and dataplane/ use none of the others,
 * account/ uses api/, provider/ uses account/, api/ and dataplane/; the settings and the
 * endpoint config at the folder's root are shared by all of them.
 */
import type { LogStore } from '../logs/log-store';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { Border0Account } from './account/border0-account';
import { Border0Api } from './api/api-client';
import { HttpTransport } from './api/http-transport';
import { Border0SettingsStore } from './border0-settings';
import { Border0Provider } from './provider/border0-provider';

export interface Border0Deps {
  settings: SettingsStore;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  logs: Pick<LogStore, 'logger'>;
  /** Token files that labs' helper nodes mounted, offered for import; called only after start. */
  labTokenFiles: () => { path: string; origin: string }[];
}

export interface Border0 {
  account: Border0Account;
  provider: Border0Provider;
}

export function createBorder0(d: Border0Deps): Border0 {
  const settings = new Border0SettingsStore(d.settings, d.secrets, d.env);
  // API calls take the configured proxy, else the environment's, like the CLI's (http-transport.ts).
  const transport = new HttpTransport(() => ({ configured: settings.proxy(), env: d.env }));
  const account = new Border0Account({
    secrets: d.secrets,
    env: d.env,
    log: d.logs.logger('account.border0'),
    endpoints: () => settings.config(),
    // Read at every call: a changed URL or header applies at once (and signed the account out first).
    api: (getToken) =>
      new Border0Api({ baseUrl: () => settings.config().apiUrl, authHeader: 'x-access-token', getToken, transport, log: d.logs.logger('border0.api') }),
    labTokenFiles: d.labTokenFiles,
  });
  const provider = new Border0Provider({ account, settings, log: d.logs.logger('provider.border0') });
  return { account, provider };
}
