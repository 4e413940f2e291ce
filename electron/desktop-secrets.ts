/**
 * How the desktop app encrypts secrets at rest. The OS keychain through Electron's safeStorage
 * (Keychain, DPAPI, libsecret, KWallet) when it really is one; on Linux without a keyring
 * safeStorage falls back to its `basic_text` backend, which encrypts with a key compiled into
 * every Chromium, so there the core's key-file cipher (a random key in a 0600 file) is used
 * instead. Secrets the other cipher wrote earlier are still read (told apart by format), and
 * rewritten with the chosen one the next time they change.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { KeyFileCipher, type SecretCipher } from './core/secrets/secret-cipher';

/** Backends that encrypt with a key the OS keeps for this user. */
const KEYRING_BACKENDS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/**
 * Chromium's OSCrypt, under safeStorage, starts its output with `v10` or `v11`; data without
 * the prefix it returns unchanged as "old clear text", so it must never be handed data the
 * key file wrote (an AES-GCM blob starting with a random IV). Sources: docs/desktop-shell.md.
 */
export function isSafeStorageBlob(data: Buffer): boolean {
  const p = data.subarray(0, 3).toString('latin1');
  return p === 'v10' || p === 'v11';
}

export interface DesktopCipherParts {
  /** Present when safeStorage can encrypt at all (keyring or basic_text). */
  safeStorage?: SafeStorage;
  keyFile?: KeyFileCipher;
  encryptWith: 'safeStorage' | 'keyFile';
}

/** Encrypts with one cipher; decrypts with whichever wrote the data. */
export function desktopCipher(parts: DesktopCipherParts): SecretCipher {
  const { safeStorage, keyFile } = parts;
  const encryptWith = parts.encryptWith === 'safeStorage' && safeStorage ? 'safeStorage' : 'keyFile';
  if (encryptWith === 'keyFile' && !keyFile) throw new Error('no cipher to encrypt secrets with');
  return {
    kind: encryptWith === 'safeStorage' ? 'safeStorage' : (keyFile as KeyFileCipher).kind,
    encrypt: (plain) => (encryptWith === 'safeStorage' ? safeStorage!.encryptString(plain) : keyFile!.encrypt(plain)),
    decrypt(data) {
      if (isSafeStorageBlob(data) && safeStorage) return safeStorage.decryptString(data);
      if (keyFile) return keyFile.decrypt(data);
      throw new Error('not written by safeStorage, and there is no key file');
    },
  };
}

export interface CipherChoice {
  cipher: SecretCipher;
  /** Which cipher encrypts, and why: for the log. */
  reason: string;
}

/** Call after `app` is ready: before that safeStorage cannot tell its backend. */
export function chooseSecretCipher(safeStorage: SafeStorage, platform: NodeJS.Platform, dataDir: string): CipherChoice {
  const available = safeStorage.isEncryptionAvailable();
  const backend = platform === 'linux' && available ? safeStorage.getSelectedStorageBackend() : undefined;
  const keyring = available && (backend === undefined || KEYRING_BACKENDS.has(backend));
  const keyFilePath = path.join(dataDir, 'secrets.key');
  if (keyring) {
    // A key file left from a time without a keyring: keep reading what it encrypted.
    const keyFile = fs.existsSync(keyFilePath) ? new KeyFileCipher(dataDir) : undefined;
    return {
      cipher: desktopCipher({ safeStorage, keyFile, encryptWith: 'safeStorage' }),
      reason: `secrets are encrypted by the OS keychain (safeStorage${backend ? `, ${backend}` : ''})`,
    };
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const why = available
    ? `safeStorage offers only its "${backend}" backend here, which is not encryption (no keyring such as GNOME Keyring or KWallet answered)`
    : 'safeStorage is not available (no OS keychain)';
  return {
    // basic_text still decrypts what it wrote earlier: read those, write new ones with the key file.
    cipher: desktopCipher({ safeStorage: available ? safeStorage : undefined, keyFile: new KeyFileCipher(dataDir), encryptWith: 'keyFile' }),
    reason: `secrets are encrypted with the key in ${keyFilePath}: ${why}`,
  };
}
