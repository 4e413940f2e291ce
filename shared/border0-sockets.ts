/**
 * What a publication becomes at border0 (facts: docs/border0.md, "Sockets and tunnels"):
 * the socket's type and name. Shared so the core that creates the socket and the UI that
 * shows it (publish dialog, Published ports) always agree.
 */
import type { PublicationType } from './model';

/** The socket types the service takes; `https` and `tcp` are not among them. */
export type Border0SocketType = 'http' | 'tls' | 'ssh';

/**
 * `https` is an http socket whose upstream speaks TLS; there is no anonymous public tcp in the
 * border0 era, so `tcp` becomes a `tls` socket, reached with `border0 client tls`.
 */
export function border0SocketType(type: PublicationType): { socketType: Border0SocketType; upstreamType?: 'http' | 'https' | 'ssh' } {
  switch (type) {
    case 'http':
      return { socketType: 'http', upstreamType: 'http' };
    case 'https':
      return { socketType: 'http', upstreamType: 'https' };
    case 'ssh':
      return { socketType: 'ssh', upstreamType: 'ssh' };
    case 'tcp':
    case 'tls':
      return { socketType: 'tls' };
    case 'udp':
      // No border0 socket type carries UDP; the provider's capabilities keep udp away from border0.
      throw new Error('border0 has no socket type for udp (shared/provider-capabilities.ts)');
  }
}

/** The lab host on this computer; sockets for labs elsewhere carry their host in the name. */
export const LOCAL_LAB_HOST = 'local';
/** The service's rule: lowercase letters, digits and dashes, a DNS label (at most 63). */
export const BORDER0_NAME_RULE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_NAME = 63;

export interface SocketNameParts {
  host: string;
  lab: string;
  node: string;
  type: PublicationType;
  port: number;
}

/**
 * `clab-<lab>-<node>-<type>-<port>`: the node's containerlab long name (which containerlab
 * named its sockets after, so two labs with the same node names never collide) plus the
 * original feature's `-<type>-<port>`. Sanitised as the border0 CLI does (`.`, `_` and spaces
 * become `-`), lowercased, anything else the service refuses becomes `-`. A lab on another
 * lab host gets a short tag of the host id; a name past 63 characters is shortened in the
 * middle and gets a hash of the full identity. A pure function of its parts: the name is the
 * same at every start.
 */
export function border0SocketName(p: SocketNameParts): string {
  const tail = `-${p.type}-${p.port}${p.host === LOCAL_LAB_HOST ? '' : `-${hash36(`host ${p.host}`).slice(0, 4)}`}`;
  const head = sanitize(`clab-${p.lab}-${p.node}`);
  if (head.length + tail.length <= MAX_NAME) return head + tail;
  const mark = `-${hash36(`${p.host}\n${p.lab}\n${p.node}`).slice(0, 6)}`;
  const keep = head.slice(0, MAX_NAME - tail.length - mark.length).replace(/-+$/, '');
  return keep + mark + tail;
}

/** Lowercase; every character the service refuses becomes `-` (as `SanitizeName` does for `.`, `_` and space). */
export function sanitize(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** FNV-1a (32 bit) in base 36, padded: a short stable tag, not a security measure. */
function hash36(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}
