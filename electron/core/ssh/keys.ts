import { generateKeyPairSync } from 'node:crypto';

/** A fresh key for one certificate: never written to disk, never logged. */
export interface SshKeyPair {
  /** SEC1 PEM (`BEGIN EC PRIVATE KEY`): the form ssh2's parseKey accepts (it refuses PKCS#8). */
  privateKey: string;
  /** OpenSSH authorized_keys line: what `POST socket/{id}/signkey` wants as `ssh_public_key`. */
  publicKey: string;
}

export const ECDSA_P256 = 'ecdsa-sha2-nistp256';

/**
 * ECDSA P-256, as the border0 clients use for their certificates. The public line is built by hand from the JWK
 * because node:crypto has no OpenSSH export.
 */
export function generateKeyPair(comment = 'clab-publisher'): SshKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) throw new Error('node:crypto gave a P-256 public key without coordinates');
  const blob = ecdsaP256Blob(Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url'));
  const pem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  return { privateKey: pem, publicKey: `${ECDSA_P256} ${blob.toString('base64')} ${comment}` };
}

/** RFC 5656 public key blob: string type, string curve, string Q (0x04 || X || Y, uncompressed). */
export function ecdsaP256Blob(x: Buffer, y: Buffer): Buffer {
  if (x.length !== 32 || y.length !== 32) throw new Error(`P-256 coordinates are 32 bytes, got ${x.length} and ${y.length}`);
  return Buffer.concat([sshString(ECDSA_P256), sshString('nistp256'), sshString(Buffer.concat([Buffer.from([4]), x, y]))]);
}

/** SSH wire `string`: uint32 length, then the bytes. */
export function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** SSH wire `mpint` of a non-negative big-endian number (leading zeros dropped, sign byte added). */
export function sshMpint(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length && unsigned[i] === 0) i++;
  const digits = unsigned.subarray(i);
  return sshString(digits.length && digits[0] & 0x80 ? Buffer.concat([Buffer.from([0]), digits]) : digits);
}

/** Reads SSH wire fields in order; throws on truncation so a bad blob never half-parses. */
export class SshReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  string(): Buffer {
    const len = this.uint32();
    this.need(len);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  text(): string {
    return this.string().toString('utf8');
  }

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error('truncated SSH wire data');
  }
}
