import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** How secrets are encrypted at rest: Electron's safeStorage on the desktop, a key file headless. */
export interface SecretCipher {
  readonly kind: string;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

/**
 * AES-256-GCM with a random key kept in its own 0600 file: a copied or backed-up
 * secrets file alone reveals nothing. (The desktop app uses the OS keychain instead.)
 */
export class KeyFileCipher implements SecretCipher {
  readonly kind = 'key file';
  private readonly key: Buffer;

  constructor(dataDir: string) {
    const keyFile = path.join(dataDir, 'secrets.key');
    if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, crypto.randomBytes(32), { mode: 0o600, flag: 'wx' });
    this.key = fs.readFileSync(keyFile);
    if (this.key.length !== 32) throw new Error(`${keyFile} is not a 32-byte key: remove it (stored secrets are then lost) and start again`);
  }

  encrypt(plain: string): Buffer {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }

  decrypt(data: Buffer): string {
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, data.subarray(0, 12));
    d.setAuthTag(data.subarray(12, 28));
    return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
  }
}
