import { createHash } from 'node:crypto';
import type { SettingsStore } from '../settings/settings-store';

/** One trusted relay key, as stored under the `knownHosts` settings key. */
export interface KnownHostKey {
  algorithm: string;
  /** OpenSSH form: `SHA256:` + unpadded base64 of the SHA-256 of the key blob. */
  fingerprint: string;
}

export type HostKeyCheck =
  | { state: 'trusted'; algorithm: string; fingerprint: string }
  | { state: 'unknown'; algorithm: string; fingerprint: string }
  | { state: 'mismatch'; algorithm: string; fingerprint: string; trustedFingerprint: string };

const SETTINGS_KEY = 'knownHosts';

/** The fingerprint `ssh-keygen -lf` and the ssh client's prompt show for the same key. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, ...). */
export function algorithmOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > keyBlob.length) return 'unknown';
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** `host:port`, with IPv6 literals in brackets so the port stays unambiguous. */
export function hostKeyId(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Relay host keys the user confirmed. Checking never stores anything: an unknown key stays
 * unknown until `trust()` is called after an explicit confirmation (trust on first use with
 * a prompt, as the ssh client does), and a changed key is refused until the user forgets
 * the old one.
 */
export class HostKeyStore {
  constructor(private readonly settings: SettingsStore) {}

  get(host: string, port: number): KnownHostKey | undefined {
    return this.all()[hostKeyId(host, port)];
  }

  check(host: string, port: number, keyBlob: Buffer): HostKeyCheck {
    const algorithm = algorithmOf(keyBlob);
    const fingerprint = fingerprintOf(keyBlob);
    const known = this.get(host, port);
    if (!known) return { state: 'unknown', algorithm, fingerprint };
    if (known.fingerprint === fingerprint) return { state: 'trusted', algorithm, fingerprint };
    return { state: 'mismatch', algorithm, fingerprint, trustedFingerprint: known.fingerprint };
  }

  trust(host: string, port: number, key: KnownHostKey): void {
    this.settings.set(SETTINGS_KEY, { ...this.all(), [hostKeyId(host, port)]: { algorithm: key.algorithm, fingerprint: key.fingerprint } });
  }

  forget(host: string, port: number): void {
    const all = this.all();
    delete all[hostKeyId(host, port)];
    this.settings.set(SETTINGS_KEY, all);
  }

  private all(): Record<string, KnownHostKey> {
    return this.settings.get<Record<string, KnownHostKey>>(SETTINGS_KEY, {});
  }
}
