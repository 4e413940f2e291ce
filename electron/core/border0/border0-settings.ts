import crypto from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { border0Config, checkProxyUrl, type Border0Config } from './border0-config';

export interface Border0Settings {
  apiUrl?: string;
  portalUrl?: string;
  tunnelServer?: string;
  limitTcp: number;
  limitHttp: number;
}

/** What `providers.configure` may change; '' puts a URL back to its default (environment or built-in). */
export type Border0SettingsPatch = Partial<Border0Settings> & { proxy?: string };

const KEY = 'providers.border0';
const INSTANCE_KEY = 'border0.instance';
const PROXY_SECRET = 'border0.proxy';
/** A regular account's limits (docs/containerlab.md, "The publish: block"): 5 tcp/tls, 10 http(s). */
export const DEFAULT_LIMITS = { limitTcp: 5, limitHttp: 10 };
const URL_KEYS = ['apiUrl', 'portalUrl', 'tunnelServer'] as const;

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

  /**
   * This installation's id, made once: its sockets carry it as a tag, so it never deletes (or
   * takes over) a socket another clab-publisher in the same organisation made.
   */
  instanceId(): string {
    let id = this.settings.get<string | undefined>(INSTANCE_KEY, undefined);
    if (!id) {
      id = crypto.randomUUID();
      this.settings.set(INSTANCE_KEY, id);
    }
    return id;
  }

  /** The configured proxy; throws (naming the rule) when a stored one no longer passes the checks. */
  proxy(): string | undefined {
    const p = this.secrets.get(PROXY_SECRET) || undefined;
    return p && checkProxyUrl(p);
  }

  /** `http://user@host:port` without the password, for the UI and logs. */
  proxyForDisplay(): string {
    const p = this.secrets.get(PROXY_SECRET);
    if (!p) return '';
    try {
      const u = new URL(p);
      u.password = '';
      return u.toString().replace(/\/$/, '');
    } catch {
      return '(unreadable proxy setting: set it again)';
    }
  }

  /** The endpoints in force; throws an AppError naming the setting or variable that is not allowed. */
  config(): Border0Config {
    const s = this.get();
    return border0Config(this.env, { apiUrl: s.apiUrl, portalUrl: s.portalUrl, tunnelServer: s.tunnelServer });
  }

  /** The endpoints `patch` would give; throws, naming the field, when a value is not allowed. Saves nothing. */
  preview(patch: Border0SettingsPatch): Border0Config {
    const next = this.merged(patch);
    const cfg = border0Config(this.env, { apiUrl: next.apiUrl, portalUrl: next.portalUrl, tunnelServer: next.tunnelServer });
    if (patch.proxy) checkProxyUrl(patch.proxy);
    return cfg;
  }

  /** Checks everything first: a bad value is refused with nothing saved. */
  update(patch: Border0SettingsPatch): void {
    this.preview(patch);
    this.settings.set(KEY, this.merged(patch));
    if (patch.proxy === '') this.secrets.delete(PROXY_SECRET);
    else if (patch.proxy !== undefined) this.secrets.set(PROXY_SECRET, patch.proxy);
  }

  private merged(patch: Border0SettingsPatch): Border0Settings {
    const { proxy: _proxy, ...rest } = patch;
    const next: Border0Settings = { ...this.get() };
    for (const [k, v] of Object.entries(rest) as [keyof Border0Settings, unknown][]) {
      if (v === undefined) continue;
      if (v === '' && (URL_KEYS as readonly string[]).includes(k)) delete next[k as (typeof URL_KEYS)[number]];
      else Object.assign(next, { [k]: v });
    }
    return next;
  }
}
