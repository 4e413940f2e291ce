/**
 * OpenSSH user-certificate authentication for ssh2, which has none built in.
 *
 * A certificate login is an ordinary publickey login (RFC 4252 §7) in which
 *   - the algorithm name is the certificate type (`ecdsa-sha2-nistp256-cert-v01@openssh.com`),
 *   - the "public key" is the whole certificate blob,
 *   - the signature is made by the plain key and names the plain algorithm
 *     (`string "ecdsa-sha2-nistp256", string (mpint r, mpint s)`): sshd checks that the
 *     signature's type is the certificate's base type and refuses anything else.
 * ssh2 gets the first two right when handed a key object whose `type` and `getPublicSSH()`
 * are the certificate's, but it always wraps the signature in the request's algorithm name.
 * So the signed request is finished here: ssh2 builds the data to sign (session id + request)
 * and we send that request with a correctly labelled signature through its packet writer.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { utils, type AuthHandlerMiddleware, type Client, type ParsedKey } from 'ssh2';
import { algorithmOf, fingerprintOf } from './host-key-store';
import { parseCertificate, type CertInfo } from './certificate';
import { protocolOf, sendPayload, type ProtocolInternals } from './ssh2-internals';
import { ECDSA_P256, ecdsaP256Blob, sshMpint, sshString } from './keys';

export interface CertCredentials {
  /** SEC1 PEM from keys.ts. */
  privateKey: string;
  /** The `signed_ssh_cert` line the API returned for that key's public half. */
  certificate: string;
}

export interface CertAuth {
  cert: CertInfo;
  /** For `ConnectConfig.authHandler`: offers the certificate once, then gives up. */
  authHandler: AuthHandlerMiddleware;
  /** Call right after `client.connect(config)`: ssh2 creates its protocol object there. */
  install(client: Client): void;
}

export function certAuth(username: string, creds: CertCredentials): CertAuth {
  const cert = parseCertificate(creds.certificate);
  const keyObject = createPrivateKey(creds.privateKey);
  const jwk = keyObject.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error('the private key is not an ECDSA P-256 key');
  const ownBlob = ecdsaP256Blob(Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url'));
  if (!cert.publicKeyBlob.equals(ownBlob)) throw new Error('the certificate was issued for another key than the one generated for it');

  const plain = utils.parseKey(creds.privateKey);
  if (plain instanceof Error) throw new Error(`ssh2 cannot read the private key: ${plain.message}`);
  // Inherit from ssh2's own parsed key so its checks (parsed? private?) pass, and present the
  // certificate wherever ssh2 asks for the public key.
  const certKey: ParsedKey = Object.create(plain, {
    type: { value: cert.type },
    getPublicSSH: { value: () => cert.blob },
  });

  let offered = false;
  const authHandler: AuthHandlerMiddleware = () => {
    if (offered) return false;
    offered = true;
    return { type: 'publickey', username, key: certKey };
  };

  const signRequest = (proto: ProtocolInternals, data: Buffer) => {
    const p1363 = sign('sha256', data, { key: keyObject, dsaEncoding: 'ieee-p1363' });
    const sigBlob = Buffer.concat([sshString(ECDSA_P256), sshString(Buffer.concat([sshMpint(p1363.subarray(0, 32)), sshMpint(p1363.subarray(32))]))]);
    // `data` is string(session id) followed by the request up to the key blob: the request is the rest.
    const request = data.subarray(4 + data.readUInt32BE(0));
    proto._authsQueue.push('publickey'); // ssh2 matches the server's answer to this entry
    sendPayload(proto, Buffer.concat([request, sshString(sigBlob)]));
  };

  const install = (client: Client) => {
    const proto = protocolOf(client);
    const original = proto.authPK.bind(proto);
    proto.authPK = (user, key, keyAlgo, cbSign) => {
      if (key !== certKey) return original(user, key, keyAlgo, cbSign);
      const wantsSignature = typeof keyAlgo === 'function' || typeof cbSign === 'function';
      if (!wantsSignature) return original(user, key, cert.type);
      // ssh2's own callback (which would sign with the wrong label) is never called.
      original(user, key, cert.type, (data) => signRequest(proto, data));
    };
  };

  return { cert, authHandler, install };
}

/**
 * Host key pinning to the `host_key` the sign-key answer gave: anything else is refused.
 * `algorithms` asks for that key's type only, so a server with several host keys shows this one.
 */
export function pinnedHostKey(expectedBase64: string): {
  hostVerifier: (key: Buffer) => boolean;
  serverHostKey: string[];
  expected: { algorithm: string; fingerprint: string };
  /** What the server presented last, once it did. */
  presented(): { algorithm: string; fingerprint: string; matches: boolean } | undefined;
} {
  const expectedBlob = Buffer.from(expectedBase64.trim(), 'base64');
  const algorithm = algorithmOf(expectedBlob);
  if (algorithm === 'unknown') throw new Error('the host key the border0 API gave is not an SSH public key');
  const expected = { algorithm, fingerprint: fingerprintOf(expectedBlob) };
  let last: { algorithm: string; fingerprint: string; matches: boolean } | undefined;
  return {
    expected,
    serverHostKey: algorithm === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [algorithm],
    hostVerifier: (key) => {
      last = { algorithm: algorithmOf(key), fingerprint: fingerprintOf(key), matches: key.equals(expectedBlob) };
      return last.matches;
    },
    presented: () => last,
  };
}
