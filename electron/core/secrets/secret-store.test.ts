import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogStore } from '../logs/log-store';
import { KeyFileCipher } from './secret-cipher';
import { SecretStore } from './secret-store';

describe('SecretStore', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('keeps values encrypted in a 0600 file and reads them back after a restart', () => {
    const dir = tmp();
    const logs = new LogStore();
    new SecretStore({ dataDir: dir, cipher: new KeyFileCipher(dir), log: logs.logger('s') }).set('border0.token', 'eyJhbGciOi.secret-token');
    const raw = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8');
    expect(raw).not.toContain('secret-token');
    expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
    const again = new SecretStore({ dataDir: dir, cipher: new KeyFileCipher(dir), log: logs.logger('s') });
    expect(again.get('border0.token')).toBe('eyJhbGciOi.secret-token');
    again.delete('border0.token');
    expect(again.get('border0.token')).toBeUndefined();
  });

  it('makes a folder readable by others private, and says so loudly', () => {
    const dir = tmp();
    fs.chmodSync(dir, 0o755);
    const logs = new LogStore();
    new SecretStore({ dataDir: dir, cipher: new KeyFileCipher(dir), log: logs.logger('s') });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(logs.query({ level: 'warn', limit: 5 })[0].message).toMatch(/readable by others.*700/);
  });

  it('ignores a value it cannot decrypt instead of crashing, and never logs it', () => {
    const dir = tmp();
    const logs = new LogStore();
    new SecretStore({ dataDir: dir, cipher: new KeyFileCipher(dir), log: logs.logger('s') }).set('t', 'hunter2');
    fs.writeFileSync(path.join(dir, 'secrets.key'), Buffer.alloc(32, 1), { mode: 0o600 });
    const other = new SecretStore({ dataDir: dir, cipher: new KeyFileCipher(dir), log: logs.logger('s') });
    expect(other.get('t')).toBeUndefined();
    expect(JSON.stringify(logs.query({ limit: 50 }))).not.toContain('hunter2');
  });

  it('moves a corrupt file aside, names it, starts empty and never overwrites it', () => {
    const dir = tmp();
    const file = path.join(dir, 'secrets.json');
    for (const text of ['{"border0.token": "abc', '[1,2]', '{"t": 5}']) {
      fs.writeFileSync(file, text, { mode: 0o600 });
      const logs = new LogStore();
      const store = new SecretStore({ dataDir: dir, cipher: new KeyFileCipher(dir), log: logs.logger('s') });
      expect(store.get('border0.token')).toBeUndefined();
      const error = logs.query({ level: 'error', limit: 5 })[0].message;
      expect(error).toContain(file);
      expect(error).toMatch(/sign in again/);
      const aside = /moved it to (\S+)/.exec(error)![1];
      expect(fs.readFileSync(aside, 'utf8')).toBe(text);
      store.set('t', 'new');
      expect(fs.readFileSync(aside, 'utf8')).toBe(text);
      fs.rmSync(aside);
    }
  });

  it('stops with the file named when it cannot read it at all', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'secrets.json'));
    expect(() => new SecretStore({ dataDir: dir, cipher: new KeyFileCipher(dir), log: new LogStore().logger('s') })).toThrow(`cannot read the secrets file ${path.join(dir, 'secrets.json')}`);
  });

  it('a save that fails (disk full) throws saying so, keeps the old secret and leaves no temporary file', () => {
    const dir = tmp();
    const store = new SecretStore({ dataDir: dir, cipher: new KeyFileCipher(dir), log: new LogStore().logger('s') });
    store.set('t', 'old');
    const file = path.join(dir, 'secrets.json');
    const before = fs.readFileSync(file, 'utf8');
    const spy = vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      expect(() => store.set('t', 'new')).toThrow(`disk full: cannot save the secrets to ${file} (no space left on the device); nothing was changed`);
      expect(() => store.delete('t')).toThrow(/^disk full/);
    } finally {
      spy.mockRestore();
    }
    expect(store.get('t')).toBe('old');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
