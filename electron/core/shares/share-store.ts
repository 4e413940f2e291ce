import type { Share } from '../../../shared/share-model';
import { AUDIT_LIMIT_DEFAULT } from '../../../shared/share-model';
import type { Logger } from '../logs/logger';
import type { SettingsStore } from '../settings/settings-store';

/** A share as saved: everything but its derived state. */
export type StoredShare = Omit<Share, 'state'>;

const KEY = 'shares';

/**
 * Shares in the settings file (passwords never: those go to the secret store). Entries that do
 * not look like shares (a hand-edited file) are skipped with a warning, never half-used.
 */
export class ShareStore {
  constructor(
    private readonly settings: SettingsStore,
    private readonly log: Logger,
  ) {}

  load(): StoredShare[] {
    const raw = this.settings.get<unknown[]>(KEY, []);
    if (!Array.isArray(raw)) {
      this.log.warn(`settings "${KEY}" is not a list; no shares were restored`);
      return [];
    }
    const out: StoredShare[] = [];
    for (const [i, item] of raw.entries()) {
      const s = normalize(item);
      if (s) out.push(s);
      else this.log.warn(`settings "${KEY}"[${i}] is not a share; skipped`);
    }
    return out;
  }

  save(shares: readonly StoredShare[]): void {
    this.settings.set(KEY, shares);
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter(isStr) : []);

function normalize(v: unknown): StoredShare | undefined {
  const s = v as Partial<StoredShare> | null;
  if (!s || typeof s !== 'object' || !isStr(s.id) || !/^[A-Za-z0-9-]{1,64}$/.test(s.id) || !isStr(s.host) || !isStr(s.lab) || !Array.isArray(s.ports)) return undefined;
  const ports = s.ports.filter((p) => p && isStr(p.node) && isNum(p.port)).map((p) => ({ ...p, kind: isStr(p.kind) ? p.kind : 'linux', allow: p.allow === undefined ? undefined : strList(p.allow) }));
  return {
    id: s.id,
    host: s.host,
    lab: s.lab,
    title: isStr(s.title) ? s.title : `${s.lab} lab`,
    ports,
    createdAt: isNum(s.createdAt) ? s.createdAt : 0,
    expiresAt: isNum(s.expiresAt) ? s.expiresAt : undefined,
    expiredAt: isNum(s.expiredAt) ? s.expiredAt : undefined,
    revokedAt: isNum(s.revokedAt) ? s.revokedAt : undefined,
    allow: strList(s.allow),
    includeCredentials: s.includeCredentials === true,
    credentials: Array.isArray(s.credentials) ? s.credentials.filter((c) => c && isStr(c.node) && isStr(c.user)).map((c) => ({ node: c.node, user: c.user, hasPassword: c.hasPassword === true })) : [],
    auditLimit: isNum(s.auditLimit) && s.auditLimit > 0 ? s.auditLimit : AUDIT_LIMIT_DEFAULT,
    link: isStr(s.link) ? s.link : undefined,
  };
}
