/**
 * Reads the kernel's socket tables (`/proc/net/tcp`, `/proc/net/tcp6`, possibly concatenated)
 * so the app can show which TCP ports a lab node really listens on, without needing `ss` or
 * `netstat` inside the node image.
 */

export interface ProcNetSocket {
  /** Dotted IPv4 or full (uncompressed) IPv6 form. */
  address: string;
  port: number;
  /** Kernel TCP state in hex, e.g. `0A` for LISTEN (UDP: `07` unconnected, `01` connected). */
  state: string;
  /** The peer's port; 0 for listeners and unconnected UDP sockets. */
  remotePort: number;
}

const LISTEN = '0A';

/** Every socket line of the tables; header lines and junk are skipped. */
export function parseProcNetTcp(text: string): ProcNetSocket[] {
  const out: ProcNetSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // A socket line reads `N: ADDR:PORT ADDR:PORT ST ...`; headers start with `sl`.
    if (f.length < 4 || !/^\d+:$/.test(f[0])) continue;
    const local = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(f[1]);
    if (!local) continue;
    const remote = /:([0-9A-Fa-f]{4})$/.exec(f[2]);
    out.push({ address: decodeAddress(local[1]), port: parseInt(local[2], 16), state: f[3].toUpperCase(), remotePort: remote ? parseInt(remote[1], 16) : 0 });
  }
  return out;
}

/**
 * TCP ports with a listener reachable from outside the container, sorted and unique.
 * Listeners bound only to loopback (127.0.0.0/8, ::1, ::ffff:127.x) are left out: nothing
 * outside the container can connect to them (Docker's embedded DNS on 127.0.0.11 is one).
 */
export function listeningPorts(text: string): number[] {
  const ports = new Set<number>();
  for (const s of parseProcNetTcp(text)) {
    if (s.state === LISTEN && s.port > 0 && !isLoopback(s.address)) ports.add(s.port);
  }
  return [...ports].sort((a, b) => a - b);
}

export function isLoopback(address: string): boolean {
  if (address.startsWith('127.')) return true;
  const v6 = address.toLowerCase();
  return v6 === '0:0:0:0:0:0:0:1' || v6.startsWith('0:0:0:0:0:ffff:7f');
}

/**
 * The kernel prints each 32-bit word of the address in host byte order; every platform
 * containerlab runs on (x86_64, arm64) is little-endian, so each word's bytes are reversed.
 */
function decodeAddress(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    for (let b = 6; b >= 0; b -= 2) bytes.push(parseInt(hex.slice(w + b, w + b + 2), 16));
  }
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(':');
}
