import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { utils } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from './host-key-store';
import { generateKeyPair, SshReader, sshMpint, sshString } from './keys';

const run = promisify(execFile);

describe('generateKeyPair', () => {
  it('gives a PEM that ssh2 parses as a private ECDSA P-256 key matching the public line', () => {
    const kp = generateKeyPair('me@lab');
    expect(kp.privateKey).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    const parsed = utils.parseKey(kp.privateKey);
    if (parsed instanceof Error) throw parsed;
    expect(parsed.type).toBe('ecdsa-sha2-nistp256');
    expect(parsed.isPrivateKey()).toBe(true);

    const [type, b64, comment] = kp.publicKey.split(' ');
    expect([type, comment]).toEqual(['ecdsa-sha2-nistp256', 'me@lab']);
    expect(parsed.getPublicSSH().toString('base64')).toBe(b64);

    const fromLine = utils.parseKey(kp.publicKey);
    if (fromLine instanceof Error) throw fromLine;
    expect(fromLine.isPrivateKey()).toBe(false);
    expect(fromLine.getPublicSSH().equals(Buffer.from(b64, 'base64'))).toBe(true);
  });

  it('builds the wire blob as string type, string curve, string 0x04||X||Y', () => {
    const kp = generateKeyPair();
    const r = new SshReader(Buffer.from(kp.publicKey.split(' ')[1], 'base64'));
    expect(r.text()).toBe('ecdsa-sha2-nistp256');
    expect(r.text()).toBe('nistp256');
    const q = r.string();
    expect(r.done).toBe(true);
    expect(q.length).toBe(65);
    expect(q[0]).toBe(4);
    // Q is the public half of the PEM's key: a signature by one verifies with the other.
    const jwkPub = { kty: 'EC', crv: 'P-256', x: q.subarray(1, 33).toString('base64url'), y: q.subarray(33).toString('base64url') };
    const sig = sign('sha256', Buffer.from('hello'), createPrivateKey(kp.privateKey));
    expect(verify('sha256', Buffer.from('hello'), createPublicKey({ key: jwkPub, format: 'jwk' }), sig)).toBe(true);
  });

  it('writes a line that OpenSSH itself reads, with the same fingerprint', async () => {
    const kp = generateKeyPair('fp-check');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-test-'));
    try {
      fs.writeFileSync(path.join(dir, 'k.pub'), `${kp.publicKey}\n`);
      const { stdout } = await run('ssh-keygen', ['-lf', path.join(dir, 'k.pub')]);
      const blob = Buffer.from(kp.publicKey.split(' ')[1], 'base64');
      expect(stdout).toBe(`256 ${fingerprintOf(blob)} fp-check (ECDSA)\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes a different key every time', () => {
    expect(generateKeyPair().publicKey).not.toBe(generateKeyPair().publicKey);
  });
});

describe('SSH wire helpers', () => {
  it('encodes strings with a length prefix', () => {
    expect(sshString('ab').toString('hex')).toBe('000000026162');
    expect(sshString(Buffer.alloc(0)).toString('hex')).toBe('00000000');
  });

  it('encodes mpints without leading zeros and with a sign byte when the top bit is set', () => {
    expect(sshMpint(Buffer.from('00007f01', 'hex')).toString('hex')).toBe('000000027f01');
    expect(sshMpint(Buffer.from('0080', 'hex')).toString('hex')).toBe('000000020080');
    expect(sshMpint(Buffer.from('0000', 'hex')).toString('hex')).toBe('00000000');
  });

  it('refuses to read past the end', () => {
    const r = new SshReader(Buffer.from('0000000561', 'hex'));
    expect(() => r.string()).toThrow(/truncated/);
    expect(() => new SshReader(Buffer.from('0001', 'hex')).uint32()).toThrow(/truncated/);
  });
});
