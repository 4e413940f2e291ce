/**
 * UDP ports a lab node serves, from its kernel socket tables (`/proc/net/udp`, `/proc/net/udp6`).
 * UDP has no listen state: a server's socket is bound and unconnected (state 07, no remote
 * address); a client's connected socket (state 01, with a remote) is left out.
 */
import type { ListeningPorts } from './container-to-node';
import { isLoopback, listeningPorts, parseProcNetTcp } from './proc-net-tcp';

const UNCONNECTED = '07';

/**
 * `cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6` in one exec: the tables are
 * told apart by their header lines, the UDP ones alone ending in `drops`. Lines before any
 * header count as TCP (the output of an older scan).
 */
export function splitSocketTables(text: string): { tcp: string; udp: string } {
  const tcp: string[] = [];
  const udp: string[] = [];
  let into = tcp;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t.startsWith('sl ')) into = /\bdrops$/.test(t) ? udp : tcp;
    else into.push(line);
  }
  return { tcp: tcp.join('\n'), udp: udp.join('\n') };
}

/** UDP ports bound without a peer and reachable from outside the container, sorted and unique. */
export function boundUdpPorts(udpTables: string): number[] {
  const ports = new Set<number>();
  for (const s of parseProcNetTcp(udpTables)) {
    if (s.state === UNCONNECTED && s.remotePort === 0 && s.port > 0 && !isLoopback(s.address)) ports.add(s.port);
  }
  return [...ports].sort((a, b) => a - b);
}

/** Both transports from the scan's one output. */
export function listeningSockets(text: string): ListeningPorts {
  const { tcp, udp } = splitSocketTables(text);
  return { tcp: listeningPorts(tcp), udp: boundUdpPorts(udp) };
}
