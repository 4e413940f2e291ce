import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../settings/settings-store';
import { algorithmOf, fingerprintOf, HostKeyStore, hostKeyId } from './host-key-store';

// Public keys and the fingerprints `ssh-keygen -lf` printed for them.
const ED25519 = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIJrI6UwMb9HxD1Skp0+Zx43t3lvnAY7N3MwCLpClnhMb', 'base64');
const ED25519_FP = 'SHA256:t0kRdIz2eqm1eQ1uX9h+9/0P+HEatiOhLGT4gIoUdB8';
const ECDSA = Buffer.from(
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBI2hcEaRcsIShsqpMcSxb6v4c2I6cTZ+kqQhZyR7VzzClN7jurXFt6P4WcJqgrU+WzuLf99ce5eNvSaKGnADE7w=',
  'base64',
);
const ECDSA_FP = 'SHA256:VifMlgUa9k/4eclEZRSVLWPyDU8ocay4j3FJbU47rCs';

describe('host key fingerprints', () => {
  it('match ssh-keygen (SHA256, base64 without padding)', () => {
    expect(fingerprintOf(ED25519)).toBe(ED25519_FP);
    expect(fingerprintOf(ECDSA)).toBe(ECDSA_FP);
  });

  it('name the key algorithm from the blob', () => {
    expect(algorithmOf(ED25519)).toBe('ssh-ed25519');
    expect(algorithmOf(ECDSA)).toBe('ecdsa-sha2-nistp256');
    expect(algorithmOf(Buffer.from([0, 0, 0, 200, 1]))).toBe('unknown');
  });

  it('key ids keep IPv6 literals unambiguous', () => {
    expect(hostKeyId('relay.example.net', 22)).toBe('relay.example.net:22');
    expect(hostKeyId('::1', 2222)).toBe('[::1]:2222');
  });
});

describe('HostKeyStore', () => {
  let dir: string;
  let settings: SettingsStore;
  let store: HostKeyStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostkeys-'));
    settings = new SettingsStore(dir);
    store = new HostKeyStore(settings);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports an unknown key without trusting it', () => {
    expect(store.check('relay', 22, ED25519)).toEqual({ state: 'unknown', algorithm: 'ssh-ed25519', fingerprint: ED25519_FP });
    expect(store.get('relay', 22)).toBeUndefined();
    expect(store.check('relay', 22, ED25519).state).toBe('unknown');
  });

  it('trusts a confirmed key, persisted under knownHosts', () => {
    store.trust('relay', 22, { algorithm: 'ssh-ed25519', fingerprint: ED25519_FP });
    expect(store.check('relay', 22, ED25519).state).toBe('trusted');
    const reloaded = new HostKeyStore(new SettingsStore(dir));
    expect(reloaded.get('relay', 22)).toEqual({ algorithm: 'ssh-ed25519', fingerprint: ED25519_FP });
    expect(JSON.parse(fs.readFileSync(settings.file, 'utf8')).knownHosts).toEqual({
      'relay:22': { algorithm: 'ssh-ed25519', fingerprint: ED25519_FP },
    });
  });

  it('refuses a different key for the same host and port, until forgotten', () => {
    store.trust('relay', 22, { algorithm: 'ssh-ed25519', fingerprint: ED25519_FP });
    expect(store.check('relay', 22, ECDSA)).toEqual({
      state: 'mismatch',
      algorithm: 'ecdsa-sha2-nistp256',
      fingerprint: ECDSA_FP,
      trustedFingerprint: ED25519_FP,
    });
    store.forget('relay', 22);
    expect(store.check('relay', 22, ECDSA).state).toBe('unknown');
  });

  it('keeps keys per host and port', () => {
    store.trust('relay', 22, { algorithm: 'ssh-ed25519', fingerprint: ED25519_FP });
    store.trust('relay', 2222, { algorithm: 'ecdsa-sha2-nistp256', fingerprint: ECDSA_FP });
    expect(store.check('relay', 2222, ECDSA).state).toBe('trusted');
    expect(store.check('relay', 2222, ED25519).state).toBe('mismatch');
    expect(store.check('other', 22, ED25519).state).toBe('unknown');
    store.forget('relay', 2222);
    expect(store.check('relay', 22, ED25519).state).toBe('trusted');
  });
});
