import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogStore } from '../logs/log-store';
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
    // The file's bytes, the rename, then the folder (so the rename survives a power cut).
    expect(order).toEqual(['fsync', 'rename to settings.json', 'fsync']);
  });

  it('a write that fails throws and leaves both the file and the settings as they were', () => {
    const s = new SettingsStore(dir);
    s.set('a', 1);
    const before = fs.readFileSync(s.file, 'utf8');
    vi.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    });
    expect(() => s.set('a', 2)).toThrow(`read-only file system: cannot save the settings to ${s.file} (the data folder is on a read-only file system); nothing was changed`);
    expect(s.get('a', 0)).toBe(1);
    expect(fs.readFileSync(s.file, 'utf8')).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });

  it('moves a corrupt file aside, names both files, starts with defaults and never overwrites it', () => {
    const file = path.join(dir, 'settings.json');
    for (const text of ['{ "a": ', '[1,2]', 'null']) {
      fs.writeFileSync(file, text, { mode: 0o600 });
      const logs = new LogStore();
      const s = new SettingsStore(dir, logs.logger('settings'));
      expect(s.get('a', 'default')).toBe('default');
      const error = logs.query({ level: 'error', limit: 5 })[0].message;
      expect(error).toMatch(new RegExp(`^the settings file ${file} is corrupt \\(.+\\): moved it to ${file}\\.corrupt-\\S+ and started with default settings`));
      const aside = /moved it to (\S+)/.exec(error)![1];
      expect(fs.readFileSync(aside, 'utf8')).toBe(text);
      s.set('a', 1);
      expect(fs.readFileSync(aside, 'utf8')).toBe(text);
      fs.rmSync(aside);
    }
  });

  it('stops with the file named when it cannot read it at all', () => {
    fs.mkdirSync(path.join(dir, 'settings.json'));
    expect(() => new SettingsStore(dir)).toThrow(`cannot read the settings file ${path.join(dir, 'settings.json')}`);
  });

  it('a save that does not fit on the disk leaves the file whole, removes its temporary file and says "disk full"', () => {
    const s = new SettingsStore(dir);
    s.set('a', 1);
    const before = fs.readFileSync(s.file, 'utf8');
    const write = fs.writeSync;
    // As a full disk does: the first write is short, the next one fails with ENOSPC.
    let calls = 0;
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buf: Buffer, off: number, len: number) => {
      if (++calls === 1) return write(fd, buf, off, Math.min(len, 10));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as typeof fs.writeSync);
    expect(() => s.set('a', 'x'.repeat(1000))).toThrow(`disk full: cannot save the settings to ${s.file} (no space left on the device); nothing was changed`);
    expect(s.get('a', 0)).toBe(1);
    expect(fs.readFileSync(s.file, 'utf8')).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });
});
