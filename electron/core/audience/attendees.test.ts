import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogStore } from '../logs/log-store';
import { SettingsStore } from '../settings/settings-store';
import { parseToken } from './attendee-token';
import { AttendeeRegistry } from './attendees';
import { AudienceStore } from './audience-store';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function registry(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attendees-'))) {
  dirs.push(dir);
  const logs = new LogStore({ batchMs: 5 });
  let now = 1_700_000_000_000;
  const r = new AttendeeRegistry(new AudienceStore(new SettingsStore(dir), logs.logger('audience')), () => now, logs.logger('audience'));
  r.load();
  return { r, dir, logs, tick: (ms: number) => (now += ms), settingsText: () => fs.readFileSync(path.join(dir, 'settings.json'), 'utf8') };
}

describe('attendees and their links', () => {
  it('open the page with their token; the settings file holds the hash, never the secret', () => {
    const { r, settingsText } = registry();
    const { attendee, token } = r.add('s1', { name: 'Ada', anyone: false });
    expect(r.resolve('s1', token, undefined)).toEqual({ kind: 'ok', attendeeId: attendee.id });
    const saved = settingsText();
    expect(saved).toContain(attendee.hash);
    expect(saved).not.toContain(parseToken(token)!.secret);
  });

  it('a token opens only its own share', () => {
    const { r } = registry();
    const { token } = r.add('s1', { name: 'Ada', anyone: false });
    r.add('s2', { name: 'Ada', anyone: false });
    expect(r.resolve('s2', token, undefined)).toEqual({ kind: 'unknown' });
  });

  it('a forged secret for a real attendee is not valid, revoked or not', () => {
    const { r } = registry();
    const { attendee, token } = r.add('s1', { name: 'Ada', anyone: false });
    const forged = `${attendee.id}.${'A'.repeat(43)}`;
    expect(r.resolve('s1', forged, undefined)).toEqual({ kind: 'unknown' });
    r.revoke('s1', attendee.id);
    // Only the right secret learns that it was revoked.
    expect(r.resolve('s1', forged, undefined)).toEqual({ kind: 'unknown' });
    expect(r.resolve('s1', token, undefined)).toMatchObject({ kind: 'ended' });
  });

  it('stops with the share: an ended share turns every valid link into an "ended" page', () => {
    const { r } = registry();
    const { token } = r.add('s1', { name: 'Ada', anyone: false });
    expect(r.resolve('s1', token, 'This share expired 2026-01-01 10:00.')).toEqual({ kind: 'ended', why: 'This share expired 2026-01-01 10:00.' });
  });

  it('re-issuing makes a new secret: the old link stops, the new one opens (a revoked attendee is let in again)', () => {
    const { r } = registry();
    const { attendee, token: old } = r.add('s1', { name: 'Ada', anyone: false });
    r.revoke('s1', attendee.id);
    const { token } = r.reissue('s1', attendee.id);
    expect(token).not.toBe(old);
    expect(r.resolve('s1', old, undefined)).toEqual({ kind: 'unknown' });
    expect(r.resolve('s1', token, undefined)).toEqual({ kind: 'ok', attendeeId: attendee.id });
  });

  it('one "anyone with the link" entry per share, names unique, a name required', () => {
    const { r } = registry();
    r.add('s1', { anyone: true });
    expect(() => r.add('s1', { anyone: true })).toThrow(expect.objectContaining({ code: 'conflict', field: 'anyone' }));
    r.add('s1', { name: 'Ada', anyone: false });
    expect(() => r.add('s1', { name: 'ada', anyone: false })).toThrow(expect.objectContaining({ code: 'conflict', field: 'name' }));
    expect(() => r.add('s1', { name: '  ', anyone: false })).toThrow(expect.objectContaining({ code: 'invalid_params', field: 'name' }));
    expect(r.attendees('s1').map((a) => a.name)).toEqual(['Anyone with the link', 'Ada']);
  });

  it('survive a restart (hash, times, presence), and links made before still open', () => {
    const { r, dir, tick } = registry();
    const { attendee, token } = r.add('s1', { name: 'Ada', anyone: false });
    tick(1000);
    r.seen('s1', attendee.id);
    const again = registry(dir).r;
    expect(again.get('s1', attendee.id)).toMatchObject({ name: 'Ada', hash: attendee.hash, firstSeenAt: attendee.createdAt + 1000 });
    expect(again.resolve('s1', token, undefined)).toEqual({ kind: 'ok', attendeeId: attendee.id });
  });

  it('drops a hand-edited entry that could never open anything', () => {
    const { r, dir } = registry();
    r.add('s1', { name: 'Ada', anyone: false });
    const file = path.join(dir, 'settings.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.audience.s1.attendees.push({ id: '0123456789abcdef', name: 'Eve', hash: 'not-a-hash' });
    json.audience.s1.settings.maxSessions = 1e9;
    fs.writeFileSync(file, JSON.stringify(json));
    const again = registry(dir).r;
    expect(again.attendees('s1').map((a) => a.name)).toEqual(['Ada']);
    expect(again.settings('s1').maxSessions).toBe(10);
  });

  describe('when the disk is full', () => {
    /** Every write fails as on a full disk (until vi.restoreAllMocks). */
    const fillDisk = () =>
      vi.spyOn(fs, 'writeSync').mockImplementation(() => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      });

    it('an owner change says so and changes nothing, in memory or on disk', () => {
      const { r, settingsText } = registry();
      const ada = r.add('s1', { name: 'Ada', anyone: false });
      const before = settingsText();
      fillDisk();
      expect(() => r.add('s1', { name: 'Bob', anyone: false })).toThrow(/^disk full: .*nothing was changed$/);
      expect(() => r.reissue('s1', ada.attendee.id)).toThrow(/disk full/);
      expect(() => r.remove('s1', ada.attendee.id)).toThrow(/disk full/);
      expect(() => r.setSettings('s1', { ...r.settings('s1'), maxSessions: 5 })).toThrow(/disk full/);
      expect(r.attendees('s1').map((a) => a.name)).toEqual(['Ada']);
      expect(r.resolve('s1', ada.token, undefined)).toEqual({ kind: 'ok', attendeeId: ada.attendee.id });
      expect(r.settings('s1').maxSessions).not.toBe(5);
      vi.restoreAllMocks();
      expect(settingsText()).toBe(before);
    });

    it('a revoke takes effect at once anyway and hands back the save error; a page seen only logs it', () => {
      const { r, logs } = registry();
      const ada = r.add('s1', { name: 'Ada', anyone: false });
      const bob = r.add('s1', { name: 'Bob', anyone: false });
      fillDisk();
      const out = r.revoke('s1', ada.attendee.id);
      expect((out.saveError as Error).message).toMatch(/disk full/);
      expect(r.resolve('s1', ada.token, undefined)).toMatchObject({ kind: 'ended' });
      expect(() => r.seen('s1', bob.attendee.id)).not.toThrow();
      expect(logs.query({ limit: 100 }).map((e) => e.message).join('\n')).toMatch(/could not save when an attendee was first seen: disk full/);
    });
  });
});
