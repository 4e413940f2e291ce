/**
 * Reads an OpenSSH certificate line (PROTOCOL.certkeys) far enough to use it and to explain a
 * refusal: which key it certifies, for whom, until when, signed by which CA.
 */
import { fingerprintOf } from './host-key-store';
import { ECDSA_P256, SshReader, sshString } from './keys';

export const ECDSA_P256_CERT = 'ecdsa-sha2-nistp256-cert-v01@openssh.com';
const USER_CERT = 1;

export interface CertInfo {
  type: string;
  /** The whole certificate, as sent in the publickey request. */
  blob: Buffer;
  /** The certified key as a plain public key blob (`ecdsa-sha2-nistp256`, curve, Q). */
  publicKeyBlob: Buffer;
  keyId: string;
  principals: string[];
  validAfter: Date;
  /** Undefined = valid forever. */
  validBefore?: Date;
  /** `SHA256:...` of the signing CA's key. */
  caFingerprint: string;
}

export function parseCertificate(line: string): CertInfo {
  const [type, b64] = line.trim().split(/\s+/);
  if (type !== ECDSA_P256_CERT) {
    throw new Error(`the certificate is of type ${type || '(empty)'}; only ${ECDSA_P256_CERT} (for the ECDSA P-256 key this app generates) is supported`);
  }
  const blob = Buffer.from(b64 ?? '', 'base64');
  try {
    const r = new SshReader(blob);
    if (r.text() !== type) throw new Error('its blob names another type than its line');
    r.string(); // nonce
    const curve = r.text();
    const point = r.string();
    r.uint64(); // serial
    if (r.uint32() !== USER_CERT) throw new Error('it is a host certificate, not a user certificate');
    const keyId = r.text();
    const principals: string[] = [];
    const names = new SshReader(r.string());
    while (!names.done) principals.push(names.text());
    const validAfter = r.uint64();
    const validBefore = r.uint64();
    r.string(); // critical options
    r.string(); // extensions
    r.string(); // reserved
    const caKey = r.string();
    return {
      type,
      blob,
      publicKeyBlob: Buffer.concat([sshString(ECDSA_P256), sshString(curve), sshString(point)]),
      keyId,
      principals,
      validAfter: new Date(Number(validAfter) * 1000),
      validBefore: validBefore === 0xffffffffffffffffn ? undefined : new Date(Number(validBefore) * 1000),
      caFingerprint: fingerprintOf(caKey),
    };
  } catch (err) {
    throw new Error(`cannot read the certificate: ${(err as Error).message}`);
  }
}

/** One line for logs and refusal reasons; certificates are public, so nothing here is secret. */
export function describeCert(c: CertInfo): string {
  const until = c.validBefore ? c.validBefore.toISOString() : 'forever';
  const who = c.principals.length ? c.principals.join(', ') : '(any user)';
  return `certificate for ${who}, valid ${c.validAfter.toISOString()} to ${until}, signed by CA ${c.caFingerprint}`;
}
