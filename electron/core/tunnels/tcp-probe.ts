import net from 'node:net';
import type { ProbeResult } from '../../../shared/model';
import type { Dialer } from '../labs/dialer';

const round = (ms: number) => Math.round(ms * 10) / 10;

type NetError = Error & { code?: string };

/**
 * Connects to the node's port the way forwarded connections reach it (the tunnel's dialer:
 * direct TCP, or SSH direct-tcpip for a remote host) and hangs up at once. A failure says why
 * in words: it becomes the degraded tunnel's reason.
 */
export async function probeUpstream(dialer: Dialer, node: string, target: { host: string; port: number }, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const sock = await dialer.dial(target.host, target.port, timeoutMs);
    const latencyMs = round(performance.now() - started);
    // Settled only once the socket is really gone, so a stopped tunnel leaves nothing open.
    const closed = new Promise((r) => sock.once('close', r));
    sock.destroy();
    await closed;
    return { ok: true, latencyMs, checkedAt: Date.now() };
  } catch (err) {
    const e = err as NetError;
    return { ok: false, error: upstreamReason(node, target, e, timeoutMs), checkedAt: Date.now() };
  }
}

function upstreamReason(node: string, { host, port }: { host: string; port: number }, e: NetError, timeoutMs: number): string {
  // Direct TCP says ECONNREFUSED; an SSH dialer only has sshd's channel-open failure text
  // ("Connection refused", exactly). Looser matches would blame the node for a lab host whose
  // own SSH connection was refused.
  if (e.code === 'ECONNREFUSED' || /\bConnection refused$/.test(e.message)) return `node ${node} refuses port ${port}`;
  if (e.code === 'ETIMEDOUT' || /^timed out after \d+ ms/.test(e.message)) return `node ${node} does not answer on port ${port} (timeout ${timeoutMs / 1000} s)`;
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') return `node ${node} is unreachable at ${host} (${e.code})`;
  return `cannot reach node ${node} at ${host}:${port}: ${e.code ?? e.message}`;
}

/** The address to dial for a listener on `host`: a wildcard bind is reached on loopback. */
export function dialableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

/**
 * TCP connect to the public endpoint from this machine. On connect it reports the local
 * address the far side will see (`from`), so the tunnel can recognise the connection when it
 * arrives through the tunnel, and half-closes: the peer decides when the socket goes.
 */
export function probeEndpoint(host: string, port: number, timeoutMs: number, track: (s: net.Socket) => void): Promise<ProbeResult & { from?: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const sock = net.connect({ host: dialableHost(host), port });
    track(sock);
    sock.setTimeout(timeoutMs, () => sock.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    sock.once('connect', () => {
      sock.setTimeout(0);
      // Once connected, any later error (reset by the peer) is no news for the probe.
      sock.removeAllListeners('error');
      sock.on('error', () => sock.destroy());
      // If the peer never closes (an edge that waits for a client hello), do not linger.
      sock.setTimeout(timeoutMs, () => sock.destroy());
      const from = `${normalizeAddress(sock.localAddress)}:${sock.localPort}`;
      sock.end();
      resolve({ ok: true, latencyMs: round(performance.now() - started), checkedAt: Date.now(), from });
    });
    const failed = (why: string) => resolve({ ok: false, error: `${dialableHost(host)}:${port} not reachable from this computer: ${why}`, checkedAt: Date.now() });
    sock.once('error', (err: NetError) => failed(err.code === 'ETIMEDOUT' ? `no answer within ${timeoutMs / 1000} s` : (err.code ?? err.message)));
    // Destroyed without an error (the tunnel stopped): settle anyway, nobody waits forever.
    sock.once('close', () => failed('probe cancelled'));
  });
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack listener) is the same peer as 127.0.0.1. */
export function normalizeAddress(addr: string | undefined): string {
  return addr?.startsWith('::ffff:') ? addr.slice(7) : (addr ?? '');
}
