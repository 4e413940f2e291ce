/**
 * The few URLs the audience listener answers, parsed without trusting anything in them. The
 * token in a page path is only split here; whether it opens anything is the service's call.
 */
import { webOrigin } from '../../../shared/web-origin';

export type PageRoute =
  | { kind: 'root' }
  | { kind: 'asset'; name: string }
  | { kind: 'page'; token: string }
  | { kind: 'socket'; token: string }
  | { kind: 'none' };

const MAX_TARGET = 512;
const TOKEN = /^[A-Za-z0-9._-]{1,128}$/;
const ASSET = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export function routeOf(raw: string | undefined): PageRoute {
  if (!raw || raw.length > MAX_TARGET || !raw.startsWith('/') || raw.startsWith('//')) return { kind: 'none' };
  // The query is never used (nothing is read from it); a fragment never reaches a server.
  const path = raw.split('?', 1)[0];
  if (path === '/') return { kind: 'root' };
  const parts = path.split('/');
  if (parts.length === 3 && parts[1] === 'assets' && ASSET.test(parts[2]) && !parts[2].includes('..')) return { kind: 'asset', name: parts[2] };
  if (parts[1] !== 'p' || !TOKEN.test(parts[2] ?? '')) return { kind: 'none' };
  if (parts.length === 3 || (parts.length === 4 && parts[3] === '')) return { kind: 'page', token: parts[2] };
  if (parts.length === 4 && parts[3] === 'ws') return { kind: 'socket', token: parts[2] };
  return { kind: 'none' };
}

/**
 * A WebSocket must come from the page itself: a browser always sends Origin, and its host
 * must be the one the request was made to (or the page's public address, for a proxy in
 * front, such as border0's, that passes another Host on).
 */
export function sameOrigin(origin: string | undefined, host: string | undefined, link: string | undefined): boolean {
  if (!origin || !host) return false;
  const o = webOrigin(origin);
  if (!o) return false;
  if (o.host === host.toLowerCase()) return true;
  if (!link) return false;
  try {
    return new URL(link).origin === o.origin;
  } catch {
    return false;
  }
}
