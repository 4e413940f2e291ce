import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettingsStore } from './settings-store';

describe('SettingsStore', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-'))));
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('saves each key at once, readable by the next start, 0600, with no temporary file left', () => {
    const s = new SettingsStore(dir);
    s.set('providers.ssh', { host: 'relay', port: 22 });
    s.set('knownHosts', { 'relay:22': { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:x' } });
    const again = new SettingsStore(dir);
    expect(again.get('providers.ssh', {})).toEqual({ host: 'relay', port: 22 });
    expect(again.get('missing', 'fallback')).toBe('fallback');
    expect(fs.statSync(s.file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });

  it('makes the new bytes durable before they replace the old file', () => {
    const s = new SettingsStore(dir);
    const order: string[] = [];
    const fsync = fs.fsyncSync;
    const rename = fs.renameSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => (order.push('fsync'), fsync(fd)));
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => (order.push(`rename to ${path.basename(String(to))}`), rename(from, to)));
    s.set('a', 1);
    expect(order).toEqual(['fsync', 'rename to settings.json']);
  });

  it('a write that fails throws and leaves both the file and the settings as they were', () => {
    const s = new SettingsStore(dir);
    s.set('a', 1);
    const before = fs.readFileSync(s.file, 'utf8');
    vi.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    });
    expect(() => s.set('a', 2)).toThrow(/EROFS/);
    expect(s.get('a', 0)).toBe(1);
    expect(fs.readFileSync(s.file, 'utf8')).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });

  it('moves an unreadable file aside and says where, instead of starting empty over it', () => {
    fs.writeFileSync(path.join(dir, 'settings.json'), '{ "a": ');
    expect(() => new SettingsStore(dir)).toThrow(/is not valid JSON .*it was moved to .*settings\.json\.unreadable-\d+/);
    expect(fs.readdirSync(dir)).toEqual([expect.stringMatching(/^settings\.json\.unreadable-\d+$/)]);
  });
});
