import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Dialer } from '../labs/dialer';
import { DirectDialer } from '../labs/dialer';
import { probeUpstream } from './tcp-probe';

const failing = (err: Error): Dialer => ({ dial: () => Promise.reject(err), openDatagram: () => Promise.reject(err) });
const target = { host: '10.0.0.9', port: 57400 };

describe('probeUpstream', () => {
  it('says a node refuses the port when nothing listens on it', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const r = await probeUpstream(new DirectDialer(), 'r1', { host: '127.0.0.1', port }, 1000);
    expect(r).toMatchObject({ ok: false, error: `node r1 refuses port ${port}` });
  });

  it('measures the connect time of a port that accepts', async () => {
    const srv = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const r = await probeUpstream(new DirectDialer(), 'r1', { host: '127.0.0.1', port: (srv.address() as net.AddressInfo).port }, 1000);
    await new Promise((res) => srv.close(res));
    expect(r.ok).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.error).toBeUndefined();
  });

  it('words a timeout, an SSH channel refusal, a lab host that is down and an unreachable node', async () => {
    const timeout = Object.assign(new Error('timed out after 3000 ms connecting to 10.0.0.9:57400'), { code: 'ETIMEDOUT' });
    expect((await probeUpstream(failing(timeout), 'r1', target, 3000)).error).toBe('node r1 does not answer on port 57400 (timeout 3 s)');
    const ssh = new Error('(SSH) Channel open failure: Connection refused');
    expect((await probeUpstream(failing(ssh), 'r1', target, 3000)).error).toBe('node r1 refuses port 57400');
    const sshTimeout = new Error('timed out after 3000 ms asking the lab host to connect to 10.0.0.9:57400');
    expect((await probeUpstream(failing(sshTimeout), 'r1', target, 3000)).error).toBe('node r1 does not answer on port 57400 (timeout 3 s)');
    // The lab host itself being down is not the node refusing.
    const hostDown = new Error('lab host lab-a is unreachable: connect ECONNREFUSED 192.0.2.1:22 (connection refused)');
    expect((await probeUpstream(failing(hostDown), 'r1', target, 3000)).error).toBe(`cannot reach node r1 at 10.0.0.9:57400: ${hostDown.message}`);
    const unreach = Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' });
    expect((await probeUpstream(failing(unreach), 'r1', target, 3000)).error).toBe('node r1 is unreachable at 10.0.0.9 (EHOSTUNREACH)');
  });
});
