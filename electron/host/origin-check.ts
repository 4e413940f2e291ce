import { timingSafeEqual } from 'node:crypto';
import { webOrigin } from '../../shared/web-origin';

/**
 * A browser page from another site must not drive the API (cross-site WebSocket hijacking):
 * a WebSocket upgrade carrying an Origin is accepted only from the host's own origin.
 * Scripts (no Origin header) are allowed; they still need the token. When listening on
 * 0.0.0.0 the page must be opened through 127.0.0.1/localhost or the address given to --host.
 */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined, listenHost: string, listenPort: number): boolean {
  if (origin === undefined) return true;
  const o = webOrigin(origin);
  if (!o) return false;
  const port = Number(o.port || (o.protocol === 'https:' ? 443 : 80));
  if (port !== listenPort) return false;
  // Same origin as the page we served, under a name of this host (DNS rebinding defence).
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', listenHost.includes(':') ? `[${listenHost}]` : listenHost]);
  return hostHeader !== undefined && o.host === hostHeader && names.has(o.hostname);
}

export function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
