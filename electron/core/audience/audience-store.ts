import { AUDIENCE_DEFAULTS, IDLE_TIMEOUT_MAX_MIN, MAX_SESSIONS_LIMIT, type Attendee, type AudienceSettings, type TerminalGrant } from '../../../shared/audience-model';
import type { Logger } from '../logs/logger';
import type { SettingsStore } from '../settings/settings-store';

/**
 * An attendee as saved: the owner's view of one without what is live (pages, sessions, state)
 * or implied by where it is stored (the share), plus the hash of the secret, never the secret.
 */
export type StoredAttendee = Pick<Attendee, 'id' | 'name' | 'kind' | 'createdAt' | 'issuedAt' | 'revokedAt' | 'firstSeenAt' | 'lastSeenAt'> & {
  /** Hex SHA-256 of the link's secret. */
  hash: string;
};

/** One share's audience as saved. */
export interface StoredAudience {
  settings: AudienceSettings;
  attendees: StoredAttendee[];
  /** The page's public port last time (asked for again, so links people hold keep working). */
  pagePort?: number;
}

const KEY = 'audience';

/**
 * The audiences in the settings file, by share id. Entries that do not look right (a
 * hand-edited file) are dropped with a warning rather than half-used; an attendee without a
 * well-formed hash could never open anything, so it is dropped too.
 */
export class AudienceStore {
  constructor(
    private readonly settings: SettingsStore,
    private readonly log: Logger,
  ) {}

  load(): Map<string, StoredAudience> {
    const raw = this.settings.get<unknown>(KEY, {});
    const out = new Map<string, StoredAudience>();
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      this.log.warn(`settings "${KEY}" is not an object; no attendees were restored`);
      return out;
    }
    for (const [shareId, v] of Object.entries(raw as Record<string, unknown>)) {
      const a = normalize(v);
      if (a) out.set(shareId, a);
      else this.log.warn(`settings "${KEY}.${shareId}" is not an audience; skipped`);
    }
    return out;
  }

  save(all: ReadonlyMap<string, StoredAudience>): void {
    this.settings.set(KEY, Object.fromEntries(all));
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown): number | undefined => (isNum(v) ? v : undefined);
const clamp = (v: unknown, min: number, max: number, dflt: number) => (isNum(v) ? Math.min(max, Math.max(min, Math.round(v))) : dflt);

function normalizeSettings(v: unknown): AudienceSettings {
  const s = (v ?? {}) as Partial<AudienceSettings>;
  const terminals: TerminalGrant[] = Array.isArray(s.terminals)
    ? s.terminals.filter((t) => t && isStr(t.node) && (t.via === 'ssh' || t.via === 'engine')).map((t) => ({ node: t.node, via: t.via }))
    : [];
  return {
    terminals,
    maxSessions: clamp(s.maxSessions, 1, MAX_SESSIONS_LIMIT, AUDIENCE_DEFAULTS.maxSessions),
    idleTimeoutMin: clamp(s.idleTimeoutMin, 1, IDLE_TIMEOUT_MAX_MIN, AUDIENCE_DEFAULTS.idleTimeoutMin),
    record: s.record === true,
  };
}

function normalizeAttendee(v: unknown): StoredAttendee | undefined {
  const a = v as Partial<StoredAttendee> | null;
  if (!a || typeof a !== 'object' || !isStr(a.id) || !/^[0-9a-f]{16}$/.test(a.id) || !isStr(a.name) || !isStr(a.hash) || !/^[0-9a-f]{64}$/.test(a.hash)) return undefined;
  return {
    id: a.id,
    name: a.name.slice(0, 100),
    kind: a.kind === 'anyone' ? 'anyone' : 'named',
    createdAt: isNum(a.createdAt) ? a.createdAt : 0,
    issuedAt: isNum(a.issuedAt) ? a.issuedAt : isNum(a.createdAt) ? a.createdAt : 0,
    revokedAt: optNum(a.revokedAt),
    firstSeenAt: optNum(a.firstSeenAt),
    lastSeenAt: optNum(a.lastSeenAt),
    hash: a.hash,
  };
}

function normalize(v: unknown): StoredAudience | undefined {
  const a = v as Partial<StoredAudience> | null;
  if (!a || typeof a !== 'object') return undefined;
  const attendees = Array.isArray(a.attendees) ? a.attendees.map(normalizeAttendee).filter((x): x is StoredAttendee => !!x) : [];
  return { settings: normalizeSettings(a.settings), attendees, pagePort: isNum(a.pagePort) && a.pagePort > 0 && a.pagePort < 65536 ? a.pagePort : undefined };
}
