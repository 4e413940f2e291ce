import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../settings/settings-store';
import { formatSshUrl, hostIdFor, loadLabHosts, parseSshUrl, saveLabHosts } from './lab-host-config';

describe('parseSshUrl / formatSshUrl', () => {
  it('reads user, host and port (22 by default), IPv6 in brackets', () => {
    expect(parseSshUrl('ssh://alice@lab1.example.net')).toEqual({ user: 'alice', host: 'lab1.example.net', port: 22 });
    expect(parseSshUrl('ssh://bob@10.0.0.5:2222')).toEqual({ user: 'bob', host: '10.0.0.5', port: 2222 });
    expect(parseSshUrl('ssh://c@[2001:db8::1]:22')).toEqual({ user: 'c', host: '2001:db8::1', port: 22 });
  });

  it('refuses what is not ssh://user@host[:port]', () => {
    for (const bad of ['lab1', 'ssh://lab1', 'http://a@b', 'ssh://a@b:0', 'ssh://a@b:70000', 'ssh://a@b/path']) {
      expect(() => parseSshUrl(bad), bad).toThrow();
    }
  });

  it('writes one canonical form, so two spellings of a host compare equal', () => {
    expect(formatSshUrl(parseSshUrl('ssh://alice@lab1'))).toBe('ssh://alice@lab1:22');
    expect(formatSshUrl(parseSshUrl('ssh://c@[2001:db8::1]'))).toBe('ssh://c@[2001:db8::1]:22');
  });
});

describe('hostIdFor', () => {
  it('is stable for an address, so a host added again gets its old id back', () => {
    const a = parseSshUrl('ssh://alice@Lab1.Example.net');
    expect(hostIdFor(a, ['local'])).toBe('lab1.example.net');
    expect(hostIdFor(a, ['local'])).toBe(hostIdFor(a, ['local', 'other']));
    expect(hostIdFor(parseSshUrl('ssh://alice@lab1:2222'), [])).toBe('lab1-2222');
  });

  it('never takes an id in use, nor shadows this computer', () => {
    expect(hostIdFor(parseSshUrl('ssh://a@lab1'), ['lab1', 'lab1-2'])).toBe('lab1-3');
    expect(hostIdFor(parseSshUrl('ssh://a@local'), ['local'])).toBe('local-ssh');
    expect(hostIdFor(parseSshUrl('ssh://a@[2001:db8::1]'), [])).toBe('2001-db8-1');
  });
});

describe('loadLabHosts', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const store = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-hosts-'));
    dirs.push(d);
    return new SettingsStore(d);
  };

  it('round-trips through settings and drops entries it cannot use', () => {
    const s = store();
    saveLabHosts(s, [{ id: 'lab1', label: 'Lab 1', url: 'ssh://a@lab1:22', keyFile: '/k', useAgent: false }]);
    expect(loadLabHosts(s)).toEqual([{ id: 'lab1', label: 'Lab 1', url: 'ssh://a@lab1:22', keyFile: '/k', useAgent: false }]);
    s.set('labHosts', [
      { id: 'ok', url: 'ssh://a@h', useAgent: true },
      { id: 'ok', url: 'ssh://a@dup' },
      { id: 'local', url: 'ssh://a@h2' },
      { id: 'bad', url: 'h3' },
      null,
      { url: 'ssh://a@h4' },
    ]);
    expect(loadLabHosts(s)).toEqual([{ id: 'ok', label: 'ok', url: 'ssh://a@h', useAgent: true }]);
    s.set('labHosts', 'garbage');
    expect(loadLabHosts(s)).toEqual([]);
  });
});
