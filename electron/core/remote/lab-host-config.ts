import type { SettingsStore } from '../settings/settings-store';

/** One remote lab host as stored under the `labHosts` settings key. A key path, never a key. */
export interface LabHostConfig {
  id: string;
  label: string;
  /** `ssh://user@host[:port]`. */
  url: string;
  keyFile?: string;
  useAgent: boolean;
}

/** The parts of `ssh://user@host[:port]`; IPv6 literals are written in brackets. */
export interface SshAddress {
  user: string;
  host: string;
  port: number;
}

const KEY = 'labHosts';

export function parseSshUrl(url: string): SshAddress {
  const m = /^ssh:\/\/([A-Za-z0-9._-]+)@(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(url.trim());
  if (!m) throw new Error(`"${url}" is not ssh://user@host[:port]`);
  const port = m[3] ? Number(m[3]) : 22;
  if (port < 1 || port > 65535) throw new Error(`port ${port} in "${url}" is out of range`);
  return { user: m[1], host: m[2].replace(/^\[(.*)\]$/, '$1'), port };
}

/** The canonical form, with the port always written: two spellings of one host compare equal. */
export function formatSshUrl(a: SshAddress): string {
  return `ssh://${a.user}@${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

/**
 * A stable id from the address: the same host added again gets the same id, so publications
 * saved for it (keyed by host id) come back to life instead of staying dormant.
 */
export function hostIdFor(a: SshAddress, taken: Iterable<string>): string {
  const slug = `${a.host}${a.port === 22 ? '' : `-${a.port}`}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'host';
  const used = new Set(taken);
  // `local` is this computer; a host literally named so must not shadow it.
  let id = slug === 'local' ? 'local-ssh' : slug;
  for (let n = 2; used.has(id); n++) id = `${slug}-${n}`;
  return id;
}

/** Hosts from settings, dropping entries an older version or a hand edit left unusable. */
export function loadLabHosts(settings: SettingsStore): LabHostConfig[] {
  const raw = settings.get<unknown>(KEY, []);
  if (!Array.isArray(raw)) return [];
  const out: LabHostConfig[] = [];
  for (const r of raw as Record<string, unknown>[]) {
    if (!r || typeof r.id !== 'string' || !r.id || r.id === 'local' || typeof r.url !== 'string') continue;
    try {
      parseSshUrl(r.url);
    } catch {
      continue;
    }
    if (out.some((h) => h.id === r.id)) continue;
    const cfg: LabHostConfig = { id: r.id, label: typeof r.label === 'string' && r.label ? r.label : r.id, url: r.url, useAgent: r.useAgent === true };
    if (typeof r.keyFile === 'string' && r.keyFile.trim()) cfg.keyFile = r.keyFile.trim();
    out.push(cfg);
  }
  return out;
}

export function saveLabHosts(settings: SettingsStore, hosts: LabHostConfig[]): void {
  settings.set(KEY, hosts);
}
