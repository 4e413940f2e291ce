import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { border0Config, type Border0Config } from './border0-config';

export interface Border0Settings {
  apiUrl?: string;
  portalUrl?: string;
  tunnelServer?: string;
  limitTcp: number;
  limitHttp: number;
}

const KEY = 'providers.border0';
const PROXY_SECRET = 'border0.proxy';
/** A regular account's limits (docs/containerlab.md, "The publish: block"): 5 tcp/tls, 10 http(s). */
export const DEFAULT_LIMITS = { limitTcp: 5, limitHttp: 10 };

/**
 * border0 settings: URLs and limits in settings.json; the proxy URL in the secret store,
 * because it may carry a password. The UI sees the proxy without its password.
 */
export class Border0SettingsStore {
  constructor(
    private readonly settings: SettingsStore,
    private readonly secrets: SecretStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get(): Border0Settings {
    return { ...DEFAULT_LIMITS, ...this.settings.get<Partial<Border0Settings>>(KEY, {}) };
  }

  proxy(): string | undefined {
    return this.secrets.get(PROXY_SECRET) || undefined;
  }

  /** `http://user@host:port` without the password, for the UI and logs. */
  proxyForDisplay(): string {
    const p = this.proxy();
    if (!p) return '';
    const u = new URL(p);
    u.password = '';
    return u.toString().replace(/\/$/, '');
  }

  config(): Border0Config {
    const s = this.get();
    return border0Config(this.env, { apiUrl: s.apiUrl, portalUrl: s.portalUrl, tunnelServer: s.tunnelServer });
  }

  update(patch: Partial<Border0Settings> & { proxy?: string }): void {
    const { proxy, ...rest } = patch;
    const next = { ...this.get(), ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
    border0Config(this.env, { apiUrl: next.apiUrl, portalUrl: next.portalUrl, tunnelServer: next.tunnelServer }); // throws on a bad value, before saving
    this.settings.set(KEY, next);
    if (proxy === '') this.secrets.delete(PROXY_SECRET);
    else if (proxy !== undefined) this.secrets.set(PROXY_SECRET, proxy);
  }
}
