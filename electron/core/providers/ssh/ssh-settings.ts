import type { SettingsStore } from '../../settings/settings-store';

/** What `providers.ssh` holds: where the relay is and how to log in. A key path, never a key. */
export interface SshSettings {
  host: string;
  port: number;
  user: string;
  keyFile?: string;
  useAgent: boolean;
  /** Address the relay binds forwards to; empty lets sshd decide (loopback unless GatewayPorts). */
  bindAddress: string;
  /** Name people use to reach the relay, when it differs from `host`. */
  publicHost?: string;
  /** UDP: seconds a peer may stay silent before its socket to the node is closed. */
  udpIdleSeconds?: number;
}

export const SSH_SETTINGS_KEY = 'providers.ssh';

export const NOT_CONFIGURED = 'SSH relay is not configured: open Providers and set host, user and key';

/**
 * Settings from `providers.configure` (already schema-checked) or from disk (possibly
 * written by an older version or edited by hand), normalised to one shape.
 */
export function normalizeSshSettings(raw: Record<string, unknown>): SshSettings {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const port = typeof raw.port === 'number' && Number.isInteger(raw.port) && raw.port > 0 && raw.port < 65536 ? raw.port : 22;
  const out: SshSettings = {
    host: str(raw.host),
    port,
    user: str(raw.user),
    useAgent: raw.useAgent === true,
    bindAddress: str(raw.bindAddress),
  };
  if (str(raw.keyFile)) out.keyFile = str(raw.keyFile);
  if (str(raw.publicHost)) out.publicHost = str(raw.publicHost);
  if (typeof raw.udpIdleSeconds === 'number' && raw.udpIdleSeconds > 0) out.udpIdleSeconds = raw.udpIdleSeconds;
  return out;
}

export function loadSshSettings(store: SettingsStore): SshSettings {
  return normalizeSshSettings(store.get<Record<string, unknown>>(SSH_SETTINGS_KEY, {}));
}

export function isConfigured(s: SshSettings): boolean {
  return s.host !== '' && s.user !== '';
}

/** The same settings as plain fields for `ProviderInfo.settings`. */
export function publicSshSettings(s: SshSettings): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = { host: s.host, port: s.port, user: s.user, useAgent: s.useAgent, bindAddress: s.bindAddress };
  if (s.keyFile) out.keyFile = s.keyFile;
  if (s.publicHost) out.publicHost = s.publicHost;
  if (s.udpIdleSeconds) out.udpIdleSeconds = s.udpIdleSeconds;
  return out;
}
