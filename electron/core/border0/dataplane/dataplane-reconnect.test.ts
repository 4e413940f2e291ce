/**
 * The dataplane's staying power against the real tunnel sshd: the server going down and
 * coming back (fresh certificate, same port), and a server that silently stops answering
 * (frozen with SIGSTOP), which only the keepalive can notice.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { echoThrough } from '../../../../test-support/net-client';
import { fingerprintOf } from '../../ssh/host-key-store';
import { TUNNEL_TERM } from '../../../../test-support/tunnel-sshd';
import { freePort, DATAPLANE_USER, dataplaneBed } from './dataplane-test-helpers';

const USER = DATAPLANE_USER;
const bed = dataplaneBed('dataplane-reconnect-test-');
const dataplane = bed.dataplane;

const blobOf = (line: string) => Buffer.from(line.split(' ')[1], 'base64');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('Border0Dataplane reconnects', () => {
  it('comes back on its own, with a fresh certificate and the same port, after the tunnel server restarts', async () => {
    const wanted = await freePort();
    const { dp, rec, creds } = dataplane({ localPort: wanted });
    dp.start();
    await rec.until('online');
    const upTo = rec.statuses.length;

    await bed.sshd.stop();
    const lost = await rec.until('reconnecting', () => true, upTo);
    expect(lost.reason).toMatch(new RegExp(`^(tunnel server 127\\.0\\.0\\.1:${bed.sshd.port} closed the connection|connection to tunnel server 127\\.0\\.0\\.1:${bed.sshd.port} lost: ECONNRESET)$`));
    const down = await rec.until('reconnecting', (s) => s.reason === `cannot reach tunnel server 127.0.0.1:${bed.sshd.port}: ECONNREFUSED`, upTo);
    expect(down.nextRetryAt).toBeGreaterThan(0);

    const logStart = fs.statSync(bed.sshd.logFile).size;
    await bed.sshd.start();
    const back = await rec.until('online', () => true, upTo);
    expect(back.boundPort).toBe(wanted);
    expect((await echoThrough('127.0.0.1', wanted, Buffer.from('again'))).toString()).toBe('again');

    // Every attempt asked for a certificate; the one that got in was the newest.
    expect(creds.issued.length).toBeGreaterThanOrEqual(3);
    const newest = fingerprintOf(blobOf(creds.issued[creds.issued.length - 1].publicKey));
    expect(newest).not.toBe(fingerprintOf(blobOf(creds.issued[0].publicKey)));
    expect(fs.readFileSync(bed.sshd.logFile, 'utf8').slice(logStart)).toMatch(new RegExp(`Accepted publickey for ${USER} .* ECDSA-CERT ${escape(newest)} `));
  });
});

describe('Border0Dataplane when the server ends the session', () => {
  it('tears the connection down and reconnects with a fresh certificate, as the border0 CLI does', async () => {
    const { dp, rec, creds, log } = dataplane();
    dp.start();
    await rec.until('online');
    await log.until((l) => l.message.startsWith(TUNNEL_TERM), 'the session running');
    const upTo = rec.statuses.length;
    const issued = creds.issued.length;
    const logFrom = fs.statSync(bed.sshd.logFile).size;
    expect(bed.sshd.endSessions()).toBe(1);
    const lost = await rec.until('reconnecting', () => true, upTo);
    expect(lost.reason).toBe(`tunnel server 127.0.0.1:${bed.sshd.port} ended the session`);
    const back = await rec.until('online', () => true, upTo);
    expect(creds.issued.length).toBe(issued + 1);
    expect((await echoThrough('127.0.0.1', back.boundPort, Buffer.from('again'))).toString()).toBe('again');
    // The old connection was ended by the client, not left open beside the new one.
    expect(log.lines.filter((l) => l.message.startsWith('logged in to tunnel server')).length).toBe(2);
    const said = fs.readFileSync(bed.sshd.logFile, 'utf8').slice(logFrom);
    expect(said).toMatch(/Received disconnect from 127\.0\.0\.1 port \d+:11:[^\n]*\n[\s\S]*Connection from 127\.0\.0\.1/);
  });
});

describe('Border0Dataplane keepalive', () => {
  it('measures the round trip, and declares a frozen server dead after 4 missed replies', async () => {
    let firstRtt: (ms: number) => void = () => {};
    const measured = new Promise<number>((r) => (firstRtt = r));
    const { dp, rec } = dataplane({ keepaliveIntervalMs: 200, keepaliveMaxMissed: 4, onKeepalive: (ms) => firstRtt(ms) });
    dp.start();
    await rec.until('online');
    const rtt = await measured;
    expect(rtt).toBeGreaterThan(0);
    expect(rtt).toBeLessThan(1000);
    expect(dp.lastKeepaliveRttMs).toBeGreaterThan(0);

    const upTo = rec.statuses.length;
    // The connection's own sshd processes stop answering; the listener still accepts new ones.
    const frozen = bed.sshd.sessionPids();
    expect(frozen.length).toBeGreaterThan(0);
    bed.cleanup(() => frozen.forEach((pid) => signal(pid, 'SIGKILL')));
    const frozenAt = Date.now();
    frozen.forEach((pid) => signal(pid, 'SIGSTOP'));

    const dead = await rec.until('reconnecting', () => true, upTo);
    const after = Date.now() - frozenAt;
    expect(dead.reason).toBe(`tunnel server 127.0.0.1:${bed.sshd.port} stopped answering: 4 keepalives in a row without a reply (one every 0.2 s)`);
    // 4 intervals with requests unanswered, declared on the 5th tick.
    expect(after).toBeGreaterThanOrEqual(750);
    expect(after).toBeLessThan(5000);
    await rec.until('online', () => true, upTo);
  });
});

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}
