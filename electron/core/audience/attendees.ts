import { ATTENDEES_MAX, AUDIENCE_DEFAULTS, type AudienceSettings } from '../../../shared/audience-model';
import { AppError } from '../../../shared/rpc-errors';
import type { Logger } from '../logs/logger';
import { issueSecret, newAttendeeId, parseToken, secretMatches } from './attendee-token';
import type { AudienceStore, StoredAttendee, StoredAudience } from './audience-store';
import type { Resolution } from './page-server';

export const ANYONE_NAME = 'Anyone with the link';
/** Presence (first and last seen) is written at most this often; owner changes at once. */
const PRESENCE_SAVE_MS = 10_000;

/**
 * The attendees of every share and their audience settings, kept in the settings file with
 * each secret's hash only. Answers the one question the page listener asks — does this token
 * open this share's page, and as whom — without ever holding a secret past the call.
 *
 * Saving: an owner's change is saved before it counts — a failed save (a full disk) throws
 * and leaves everything as it was — except a revoke, which takes effect at once anyway (see
 * `revoke`). Saves that follow something that happened (a page opened, the page's port, a
 * share gone) log a failure instead of throwing out of an event; the next save catches up.
 */
export class AttendeeRegistry {
  private all = new Map<string, StoredAudience>();
  private presenceTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly store: AudienceStore,
    private readonly now: () => number,
    private readonly log?: Logger,
  ) {}

  load(): void {
    this.all = this.store.load();
  }

  shareIds(): string[] {
    return [...this.all.keys()];
  }

  attendees(shareId: string): readonly StoredAttendee[] {
    return this.all.get(shareId)?.attendees ?? [];
  }

  get(shareId: string, attendeeId: string): StoredAttendee | undefined {
    return this.attendees(shareId).find((a) => a.id === attendeeId);
  }

  settings(shareId: string): AudienceSettings {
    return this.all.get(shareId)?.settings ?? AUDIENCE_DEFAULTS;
  }

  pagePort(shareId: string): number | undefined {
    return this.all.get(shareId)?.pagePort;
  }

  setSettings(shareId: string, settings: AudienceSettings): void {
    this.change(() => void (this.entry(shareId).settings = settings));
  }

  setPagePort(shareId: string, port: number): void {
    const e = this.all.get(shareId);
    if (!e || e.pagePort === port) return;
    e.pagePort = port;
    this.saveQuietly('the page\'s port');
  }

  /** A new attendee with a fresh secret; `token` is for the owner's eyes, once. */
  add(shareId: string, o: { name?: string; anyone: boolean }): { attendee: StoredAttendee; token: string } {
    return this.change(() => this.addUnsaved(shareId, o));
  }

  private addUnsaved(shareId: string, o: { name?: string; anyone: boolean }): { attendee: StoredAttendee; token: string } {
    const e = this.entry(shareId);
    const live = e.attendees.filter((a) => a.revokedAt === undefined);
    if (live.length >= ATTENDEES_MAX) throw new AppError('refused', `a share has at most ${ATTENDEES_MAX} attendees`, 'revoke or remove attendees who no longer need the share, or add one "anyone with the link" entry', 'name');
    if (o.anyone && live.some((a) => a.kind === 'anyone')) throw new AppError('conflict', 'this share already has an "anyone with the link" entry', 're-issue its link to get a new one (the old link stops working)', 'anyone');
    const name = o.anyone ? ANYONE_NAME : o.name?.trim();
    if (!name) throw new AppError('invalid_params', 'an attendee needs a name (or tick "anyone with the link")', 'the name is shown on their page and in the audit', 'name');
    if (!o.anyone && live.some((a) => a.name.toLowerCase() === name.toLowerCase())) {
      throw new AppError('conflict', `there is already an attendee named "${name}"`, 're-issue their link instead, or use another name', 'name');
    }
    const id = newAttendeeId();
    const { token, hash } = issueSecret(id);
    const t = this.now();
    const attendee: StoredAttendee = { id, name, kind: o.anyone ? 'anyone' : 'named', createdAt: t, issuedAt: t, hash };
    e.attendees.push(attendee);
    return { attendee, token };
  }

  /** A new secret for the attendee (the old link stops at once); a revoked attendee is admitted again. */
  reissue(shareId: string, attendeeId: string): { attendee: StoredAttendee; token: string } {
    return this.change(() => {
      const a = this.find(shareId, attendeeId);
      const { token, hash } = issueSecret(a.id);
      a.hash = hash;
      a.issuedAt = this.now();
      a.revokedAt = undefined;
      return { attendee: a, token };
    });
  }

  /**
   * Revokes at once, saved or not: access ends now, also when the disk is full. A failed
   * save comes back as `saveError` (the caller ends the pages first, then reports it): the
   * revoke would not survive a restart until a later save succeeds.
   */
  revoke(shareId: string, attendeeId: string): { attendee: StoredAttendee; saveError?: unknown } {
    const a = this.find(shareId, attendeeId);
    a.revokedAt ??= this.now();
    try {
      this.store.save(this.all);
      return { attendee: a };
    } catch (err) {
      return { attendee: a, saveError: err };
    }
  }

  remove(shareId: string, attendeeId: string): StoredAttendee {
    return this.change(() => {
      const a = this.find(shareId, attendeeId);
      const e = this.all.get(shareId)!;
      e.attendees = e.attendees.filter((x) => x.id !== attendeeId);
      return a;
    });
  }

  /** The share is gone: so are its attendees. */
  dropShare(shareId: string): boolean {
    if (!this.all.delete(shareId)) return false;
    this.saveQuietly('a removed share\'s attendees');
    return true;
  }

  /**
   * What `token` opens on `shareId`'s page. The secret is checked before anything else is
   * said about the attendee: a wrong secret for a revoked attendee is just not valid.
   */
  resolve(shareId: string, token: string, shareEnded: string | undefined): Resolution {
    const t = parseToken(token);
    const a = t && this.get(shareId, t.attendeeId);
    if (!t || !a || !secretMatches(t.secret, a.hash)) return { kind: 'unknown' };
    if (a.revokedAt !== undefined) return { kind: 'ended', why: 'The organiser has revoked this link.' };
    if (shareEnded) return { kind: 'ended', why: shareEnded };
    return { kind: 'ok', attendeeId: a.id };
  }

  /** The attendee's page opened or closed: first and last seen (saved a little later). */
  seen(shareId: string, attendeeId: string): void {
    const a = this.get(shareId, attendeeId);
    if (!a) return;
    const t = this.now();
    const first = a.firstSeenAt === undefined;
    a.firstSeenAt ??= t;
    a.lastSeenAt = t;
    if (first) return this.saveQuietly('when an attendee was first seen');
    this.presenceTimer ??= setTimeout(() => {
      this.presenceTimer = undefined;
      this.saveQuietly('when attendees were last seen');
    }, PRESENCE_SAVE_MS);
  }

  /** Writes what is pending (the app is shutting down). */
  flush(): void {
    if (!this.presenceTimer) return;
    clearTimeout(this.presenceTimer);
    this.presenceTimer = undefined;
    this.saveQuietly('when attendees were last seen');
  }

  private entry(shareId: string): StoredAudience {
    let e = this.all.get(shareId);
    if (!e) {
      e = { settings: { ...AUDIENCE_DEFAULTS, terminals: [] }, attendees: [] };
      this.all.set(shareId, e);
    }
    return e;
  }

  private find(shareId: string, attendeeId: string): StoredAttendee {
    const a = this.get(shareId, attendeeId);
    if (!a) throw new AppError('not_found', `no attendee ${attendeeId} in this share`, 'shares.audience lists them', 'attendeeId');
    return a;
  }

  /** Applies `mutate` and saves; when either throws, everything is as it was before. */
  private change<T>(mutate: () => T): T {
    const before = structuredClone(this.all);
    try {
      const out = mutate();
      this.store.save(this.all);
      return out;
    } catch (err) {
      this.all = before;
      throw err;
    }
  }

  private saveQuietly(what: string): void {
    try {
      this.store.save(this.all);
    } catch (err) {
      this.log?.warn(`could not save ${what}: ${(err as Error).message}; the next save writes it`);
    }
  }
}
