import dgram from 'node:dgram';
import net from 'node:net';
import type { ProbeResult } from '../../../shared/model';
import type { DatagramLink, Dialer } from '../labs/dialer';
import { dialableHost, normalizeAddress } from './tcp-probe';

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * SNMPv2c GetRequest for sysUpTime.0 (1.3.6.1.2.1.1.3.0) with community `public`, BER encoded
 * (RFC 3416 PDU in an RFC 1901 message): any agent with the default community answers it, and
 * a get changes nothing on the node.
 */
const SNMP_GET_SYSUPTIME = Buffer.from(
  '3029' + '020101' + '0406' + Buffer.from('public').toString('hex') + 'a01c' + '0204434c4142' + '020100' + '020100' + '300e300c06082b060102010103000500',
  'hex',
);

/** What the probe asks the services that answer a request; the others get an empty datagram. */
const REQUESTS: Record<number, { payload: Buffer; what: string }> = {
  7: { payload: Buffer.from('clab-publisher probe'), what: 'an echo request' },
  161: { payload: SNMP_GET_SYSUPTIME, what: 'an SNMP get (community public)' },
};

export interface UdpRequest {
  payload: Buffer;
  what: string;
}

/** The request that makes the service on `port` answer, when it is one that does. */
export const udpRequestFor = (port: number): UdpRequest | undefined => REQUESTS[port];

/** Zero bytes: the least a service can be bothered with, enough to draw a port-unreachable. */
const EMPTY = Buffer.alloc(0);

/**
 * UDP has no connect: the probe sends one datagram to the node's port the way the tunnel's
 * datagrams reach it (the tunnel's dialer). An answer says the service is up; ICMP port
 * unreachable says nothing listens (the node is degraded); silence is what a listening UDP
 * service that does not answer looks like, so it passes, saying so.
 */
export function probeUdpUpstream(dialer: Dialer, node: string, target: { host: string; port: number }, timeoutMs: number, request?: UdpRequest): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let link: DatagramLink | undefined;
    let done = false;
    const finish = (r: Omit<ProbeResult, 'checkedAt'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      link?.close();
      resolve({ ...r, checkedAt: Date.now() });
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: true,
          detail: request
            ? `no answer to ${request.what} within ${timeoutMs / 1000} s, and no port-unreachable: listening, as far as UDP tells`
            : 'no port-unreachable came back: listening, as far as UDP tells',
        }),
      timeoutMs,
    );
    dialer
      .openDatagram(target.host, target.port, {
        message: () => finish({ ok: true, latencyMs: round(performance.now() - started) }),
        error: (err, fatal) => {
          if (err.code === 'ECONNREFUSED') finish({ ok: false, error: `node ${node} does not listen on UDP port ${target.port} (port unreachable)` });
          else if (fatal || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') finish({ ok: false, error: `cannot reach node ${node} at ${target.host} over UDP: ${err.code ?? err.message}` });
        },
      })
      .then(
        (l) => {
          if (done) return l.close();
          link = l;
          l.send(request?.payload ?? EMPTY);
        },
        (err: Error) => finish({ ok: false, error: `cannot reach node ${node} at ${target.host}:${target.port} over UDP: ${err.message}` }),
      );
  });
}

/**
 * Sends `request` to the public endpoint from this machine and waits for the node's answer
 * through the tunnel. `sending(from)` learns the address the tunnel will see (before the
 * datagram leaves), so the tunnel can pass it uncounted.
 */
export function probeUdpEndpoint(host: string, port: number, request: UdpRequest, timeoutMs: number, sending: (from: string) => void, track: (close: () => void) => () => void): Promise<ProbeResult> {
  const to = dialableHost(host);
  const started = performance.now();
  return new Promise((resolve) => {
    const sock = dgram.createSocket(net.isIPv6(to) ? 'udp6' : 'udp4');
    let done = false;
    const finish = (r: Omit<ProbeResult, 'checkedAt'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      untrack();
      sock.close();
      resolve({ ...r, checkedAt: Date.now() });
    };
    const untrack = track(() => finish({ ok: false, error: 'probe cancelled' }));
    const where = `${to}:${port}`;
    const timer = setTimeout(() => finish({ ok: false, error: `${where}: no answer to ${request.what} through the tunnel within ${timeoutMs / 1000} s` }), timeoutMs);
    sock.on('message', () => finish({ ok: true, latencyMs: round(performance.now() - started) }));
    sock.on('error', (err: NodeJS.ErrnoException) =>
      finish({ ok: false, error: `${where} not reachable from this computer: ${err.code === 'ECONNREFUSED' ? 'port unreachable' : (err.code ?? err.message)}` }),
    );
    sock.connect(port, to, () => {
      const a = sock.address();
      sending(`${normalizeAddress(a.address)}:${a.port}`);
      sock.send(request.payload);
    });
  });
}
