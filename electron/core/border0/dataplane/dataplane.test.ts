/**
 * The border0 dataplane against a real OpenSSH sshd acting as the tunnel server
 * (test-support/tunnel-sshd.ts): certificate login, remote forward, session log, refusals,
 * and a clean close.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accepts, echoThrough } from '../../../../test-support/net-client';
import net from 'node:net';
import { makeCa, TUNNEL_GREETING, TUNNEL_TERM } from '../../../../test-support/tunnel-sshd';
import { CLIENT_IDENT } from './dataplane-login';
import { fingerprintOf } from '../../ssh/host-key-store';
import { activeResourcesWhen, freePort, noMoreThan, noSocketsInFlight, testCredentials, DATAPLANE_USER, dataplaneBed } from './dataplane-test-helpers';
import { generateKeyPair } from '../../ssh/keys';

const USER = DATAPLANE_USER;
const bed = dataplaneBed('dataplane-test-');
const dataplane = bed.dataplane;

const blobOf = (line: string) => Buffer.from(line.trim().split(' ')[1], 'base64');
const sshdLogSince = (from: number) => fs.readFileSync(bed.sshd.logFile, 'utf8').slice(from);

describe('Border0Dataplane with a real tunnel sshd', () => {
  it('logs in with the certificate, forwards 1 MiB exactly and logs what the server says', async () => {
    const logStart = fs.statSync(bed.sshd.logFile).size;
    const { dp, rec, log, creds } = dataplane();
    dp.start();
    expect(rec.statuses[0]).toEqual({ state: 'connecting' });
    const online = await rec.until('online');
    expect(online.boundPort).toBeGreaterThan(0);

    const sent = randomBytes(1024 * 1024);
    const back = await echoThrough('127.0.0.1', online.boundPort, sent);
    expect(back.length).toBe(sent.length);
    expect(back.equals(sent)).toBe(true);
    expect(rec.from).toHaveLength(1);
    expect(rec.from[0]).toMatch(/^127\.0\.0\.1:\d+$/);

    const greeting = await log.until((l) => l.message.includes(TUNNEL_GREETING), 'the session greeting');
    expect(greeting).toMatchObject({ level: 'info', message: `${TUNNEL_GREETING} ${USER}`, fields: { origin: 'tunnel-server' } });
    expect(creds.issued).toHaveLength(1);
    const keyFp = fingerprintOf(blobOf(creds.issued[0].publicKey));
    expect(sshdLogSince(logStart)).toMatch(new RegExp(`Accepted publickey for ${USER} from 127\\.0\\.0\\.1 port \\d+ ssh2: ECDSA-CERT ${keyFp.replace(/[+/]/g, '\\$&')} ID clab-test-${USER}`));
    // The private key never reaches the log.
    expect(JSON.stringify(log.lines)).not.toContain('PRIVATE KEY');
  });

  it('asks for an xterm-256color pty, as the border0 CLI does', async () => {
    const { dp, rec, log } = dataplane();
    dp.start();
    await rec.until('online');
    expect((await log.until((l) => l.message.startsWith(TUNNEL_TERM), 'the terminal line')).message).toBe(`${TUNNEL_TERM} xterm-256color`);
  });

  it('names the app and its version in its SSH banner', async () => {
    const banner = new Promise<string>((resolve) => {
      const srv = net.createServer((s) => {
        s.once('data', (d) => {
          resolve(d.toString('latin1').split('\r\n')[0]);
          s.destroy();
          srv.close();
        });
      });
      srv.listen(0, '127.0.0.1', () => {
        const { dp } = dataplane({ tunnelServer: { host: '127.0.0.1', port: (srv.address() as net.AddressInfo).port } });
        dp.start();
      });
    });
    expect(await banner).toBe(`SSH-2.0-${CLIENT_IDENT}`);
    expect(CLIENT_IDENT).toMatch(/^clab_publisher_\d+\.\d+\.\d+$/);
  });

  it('binds the local_port it is given', async () => {
    const wanted = await freePort();
    const { dp, rec } = dataplane({ localPort: wanted });
    dp.start();
    expect((await rec.until('online')).boundPort).toBe(wanted);
    expect((await echoThrough('127.0.0.1', wanted, Buffer.from('hello'))).toString()).toBe('hello');
  });

  it('fails plainly, without retrying, when the certificate is from a CA the server does not trust', async () => {
    const other = await makeCa(fs.mkdtempSync(path.join(bed.dir, 'other-ca-')));
    const otherFp = fingerprintOf(blobOf(fs.readFileSync(other.caPub, 'utf8')));
    const creds = testCredentials({ caKey: other.caKey, principal: USER, hostKey: bed.sshd.hostKeyBlob });
    const { dp, rec } = dataplane({ credentials: creds.credentials });
    dp.start();
    const failed = await rec.until('failed');
    expect(failed.reason).toContain(`tunnel server 127.0.0.1:${bed.sshd.port} refused the certificate for user ${USER}`);
    expect(failed.reason).toContain(`signed by CA ${otherFp}`);
    expect(failed.reason).toMatch(/not signed by a CA the server trusts, not issued for this user, or expired/);
    expect(rec.statuses.map((s) => s.state)).toEqual(['connecting', 'failed']);
    expect(creds.issued).toHaveLength(1);
  });

  it('fails plainly when the certificate is for another user', async () => {
    const creds = testCredentials({ caKey: bed.ca.caKey, principal: 'someoneelse', hostKey: bed.sshd.hostKeyBlob });
    const { dp, rec } = dataplane({ credentials: creds.credentials });
    dp.start();
    const failed = await rec.until('failed');
    expect(failed.reason).toContain(`refused the certificate for user ${USER} (certificate for someoneelse, valid`);
  });

  it('refuses a server whose host key is not the one the API gave, before logging in', async () => {
    const logStart = fs.statSync(bed.sshd.logFile).size;
    const wrong = blobOf(fs.readFileSync(bed.ca.caPub, 'utf8'));
    const creds = testCredentials({ caKey: bed.ca.caKey, principal: USER, hostKey: wrong.toString('base64') });
    const { dp, rec } = dataplane({ credentials: creds.credentials });
    dp.start();
    const failed = await rec.until('failed');
    expect(failed.reason).toContain(`presented host key ${fingerprintOf(blobOf(bed.sshd.hostKeyPub))} (ssh-ed25519)`);
    expect(failed.reason).toContain(`the border0 API said it is ${fingerprintOf(wrong)} (ssh-ed25519)`);
    expect(failed.reason).toMatch(/refused before logging in .*intercept/);
    expect(sshdLogSince(logStart)).not.toMatch(/publickey|certificate/i);
  });

  it('refuses a server that has no key of the type the API gave', async () => {
    const ecdsa = blobOf(generateKeyPair().publicKey);
    const creds = testCredentials({ caKey: bed.ca.caKey, principal: USER, hostKey: ecdsa.toString('base64') });
    const { dp, rec } = dataplane({ credentials: creds.credentials });
    dp.start();
    const failed = await rec.until('failed');
    expect(failed.reason).toContain(`presented host key no ecdsa-sha2-nistp256 key at all, but the border0 API said it is ${fingerprintOf(ecdsa)}`);
  });
});

describe('Border0Dataplane.close', () => {
  const baseline = () => activeResourcesWhen(noSocketsInFlight);
  const expectNothingLeft = async (before: string[]) => {
    const after = await activeResourcesWhen(noMoreThan(before));
    expect(noMoreThan(before)(after), `before: ${before.join(' ')}; after: ${after.join(' ')}`).toBe(true);
  };

  it('cancels the forward and leaves nothing running', async () => {
    const before = await baseline();
    const { dp, rec } = dataplane({ keepaliveIntervalMs: 100 });
    dp.start();
    const { boundPort } = await rec.until('online');
    await echoThrough('127.0.0.1', boundPort, randomBytes(64 * 1024));
    await dp.close();
    expect(await accepts('127.0.0.1', boundPort)).toBe(false);
    await expectNothingLeft(before);
    const statuses = rec.statuses.length;
    await dp.close(); // twice is fine
    expect(rec.statuses.length).toBe(statuses);
  });

  it('leaves nothing running when closed while waiting to retry', async () => {
    const before = await baseline();
    const { dp, rec } = dataplane({ tunnelServer: { host: '127.0.0.1', port: await freePort() }, backoff: { initialMs: 60_000, maxMs: 60_000 } });
    dp.start();
    await rec.until('reconnecting');
    await dp.close();
    await expectNothingLeft(before);
  });

  it('does not connect when closed while credentials() is still running', async () => {
    const before = await baseline();
    const logStart = fs.statSync(bed.sshd.logFile).size;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const creds = testCredentials({ caKey: bed.ca.caKey, principal: USER, hostKey: bed.sshd.hostKeyBlob });
    let signed: Promise<unknown> = Promise.resolve();
    const { dp, rec } = dataplane({
      credentials: async () => {
        await gate;
        const p = creds.credentials();
        signed = p;
        return p;
      },
    });
    dp.start();
    await dp.close();
    release();
    await gate;
    await signed; // the API call finishes on its own; its answer must be dropped
    expect(creds.issued).toHaveLength(1);
    expect(rec.statuses.map((s) => s.state)).toEqual(['connecting']);
    expect(sshdLogSince(logStart)).not.toContain('Connection from');
    await expectNothingLeft(before);
  });
});
