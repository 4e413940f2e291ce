/**
 * Certificate login with ssh2 against a real OpenSSH sshd that only trusts a CA
 * (TrustedUserCAKeys, no authorized_keys), plus the certificate reader and host key pinning.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCa, signUserKey, startTunnelSshd, type TunnelSshd } from '../../../test-support/tunnel-sshd';
import { fingerprintOf } from './host-key-store';
import { parseCertificate } from './certificate';
import { generateKeyPair } from './keys';
import { certAuth, pinnedHostKey } from './cert-auth';

const run = promisify(execFile);
const USER = 'b0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
let dir: string;
let ca: { caKey: string; caPub: string };
let caFingerprint: string;
let sshd: TunnelSshd;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-auth-test-'));
  ca = await makeCa(dir);
  caFingerprint = (await run('ssh-keygen', ['-lf', ca.caPub])).stdout.split(' ')[1];
  sshd = await startTunnelSshd({ caPubKeyPath: ca.caPub, user: USER });
});
afterAll(async () => {
  await sshd?.stop();
  if (sshd) fs.rmSync(sshd.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

const keyBlob = (line: string) => Buffer.from(line.split(' ')[1], 'base64');

/** Logs in with a raw ssh2 client; resolves 'ready' or the error message. */
function login(creds: { privateKey: string; certificate: string }, install = true): Promise<string> {
  const auth = certAuth(USER, creds);
  const pin = pinnedHostKey(sshd.hostKeyBlob);
  const client = new Client();
  return new Promise((resolve) => {
    let outcome = 'closed';
    client.on('ready', () => {
      outcome = 'ready';
      client.end();
    });
    client.on('error', (err) => (outcome = outcome === 'ready' ? outcome : err.message));
    client.on('close', () => resolve(outcome));
    client.connect({ host: sshd.host, port: sshd.port, username: USER, authHandler: auth.authHandler, hostVerifier: pin.hostVerifier, algorithms: { serverHostKey: pin.serverHostKey as never } });
    if (install) auth.install(client);
  });
}

describe('certAuth with a real sshd', () => {
  it('logs in with the certificate, and sshd says it accepted that certificate', async () => {
    const logStart = fs.statSync(sshd.logFile).size;
    const kp = generateKeyPair();
    const certificate = await signUserKey({ caKey: ca.caKey, pubLine: kp.publicKey, principal: USER });
    expect(await login({ privateKey: kp.privateKey, certificate })).toBe('ready');
    const log = fs.readFileSync(sshd.logFile, 'utf8').slice(logStart);
    expect(log).toContain(`Accepted publickey for ${USER} from 127.0.0.1`);
    expect(log).toContain(`ECDSA-CERT ${fingerprintOf(keyBlob(kp.publicKey))} ID clab-test-${USER} (serial 0) CA ED25519 ${caFingerprint}`);
  });

  it('needs the signed request finished by hand: ssh2 alone labels the signature with the certificate type, which sshd refuses', async () => {
    // If this starts passing, ssh2 learned certificates and install() may be unnecessary.
    const logStart = fs.statSync(sshd.logFile).size;
    const kp = generateKeyPair();
    const certificate = await signUserKey({ caKey: ca.caKey, pubLine: kp.publicKey, principal: USER });
    expect(await login({ privateKey: kp.privateKey, certificate }, false)).toMatch(/All configured authentication methods failed/);
    expect(fs.readFileSync(sshd.logFile, 'utf8').slice(logStart)).toContain(`Failed publickey for ${USER}`);
  });

  it('refuses to pair a certificate with a key it was not issued for', async () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    const certificate = await signUserKey({ caKey: ca.caKey, pubLine: a.publicKey, principal: USER });
    expect(() => certAuth(USER, { privateKey: b.privateKey, certificate })).toThrow(/issued for another key/);
  });
});

describe('parseCertificate', () => {
  it('reads what ssh-keygen wrote: key, principals, validity, CA', async () => {
    const kp = generateKeyPair();
    const before = Math.floor(Date.now() / 1000);
    const line = await signUserKey({ caKey: ca.caKey, pubLine: kp.publicKey, principal: 'alice,bob', validity: '+1h' });
    const c = parseCertificate(line);
    expect(c.type).toBe('ecdsa-sha2-nistp256-cert-v01@openssh.com');
    expect(c.blob.toString('base64')).toBe(line.split(' ')[1]);
    expect(c.publicKeyBlob.equals(keyBlob(kp.publicKey))).toBe(true);
    expect(c.principals).toEqual(['alice', 'bob']);
    expect(c.keyId).toBe('clab-test-alice,bob');
    expect(c.caFingerprint).toBe(caFingerprint);
    // ssh-keygen backdates the start a little and rounds to the minute.
    expect(c.validAfter.getTime()).toBeLessThanOrEqual(before * 1000);
    expect(Math.abs(c.validBefore!.getTime() - (before + 3600) * 1000)).toBeLessThan(120_000);
  });

  it('says plainly what it cannot use', async () => {
    expect(() => parseCertificate('ssh-ed25519-cert-v01@openssh.com AAAA')).toThrow(/only ecdsa-sha2-nistp256-cert-v01@openssh.com/);
    expect(() => parseCertificate('')).toThrow(/of type \(empty\)/);
    const kp = generateKeyPair();
    const line = await signUserKey({ caKey: ca.caKey, pubLine: kp.publicKey, principal: USER });
    const truncated = `${line.split(' ')[0]} ${keyBlob(line).subarray(0, 120).toString('base64')}`;
    expect(() => parseCertificate(truncated)).toThrow(/cannot read the certificate: truncated/);
  });
});

describe('pinnedHostKey', () => {
  it('accepts exactly the given key and reports what was presented', () => {
    const given = keyBlob(sshd.hostKeyPub);
    const pin = pinnedHostKey(sshd.hostKeyBlob);
    expect(pin.serverHostKey).toEqual(['ssh-ed25519']);
    expect(pin.presented()).toBeUndefined();
    expect(pin.hostVerifier(given)).toBe(true);
    const other = keyBlob(fs.readFileSync(ca.caPub, 'utf8'));
    expect(pin.hostVerifier(other)).toBe(false);
    expect(pin.presented()).toEqual({ algorithm: 'ssh-ed25519', fingerprint: fingerprintOf(other), matches: false });
  });

  it('offers every RSA signature algorithm for an RSA key, and refuses what is not a key', () => {
    const rsaLike = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.alloc(8)]);
    expect(pinnedHostKey(rsaLike.toString('base64')).serverHostKey).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(() => pinnedHostKey('bm90IGEga2V5')).toThrow(/not an SSH public key/);
  });
});
