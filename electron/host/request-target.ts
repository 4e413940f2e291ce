/**
 * The request target of an HTTP request or WebSocket upgrade, checked before anything uses
 * it. Never throws: whatever a client sends, the caller gets a path or a status with a reason.
 */

/** Longer targets are refused with 414; the UI's own URLs are a few dozen characters. */
export const MAX_TARGET_LENGTH = 2048;

export type Target = { ok: true; path: string; query: URLSearchParams } | { ok: false; status: 400 | 414; why: string };

// C0 controls and DEL: a decoded path with one is never a file of ours, and NUL makes
// fs calls throw synchronously.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function parseTarget(raw: string | undefined): Target {
  if (!raw) return { ok: false, status: 400, why: 'the request has no path' };
  if (raw.length > MAX_TARGET_LENGTH) return { ok: false, status: 414, why: `the request path is longer than ${MAX_TARGET_LENGTH} characters` };
  // `//x` would be read as a host name (a protocol-relative URL), `*` and absolute forms are
  // for proxies: only origin-form, one leading slash, is served.
  if (!raw.startsWith('/') || raw.startsWith('//')) return { ok: false, status: 400, why: 'the request path must start with a single "/"' };
  let url: URL;
  try {
    url = new URL(raw, 'http://host.invalid');
  } catch {
    return { ok: false, status: 400, why: 'the request path is not a valid URL path' };
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, why: 'the request path has a malformed %-escape' };
  }
  if (CONTROL.test(path)) return { ok: false, status: 400, why: 'the request path contains a NUL or another control character' };
  return { ok: true, path, query: url.searchParams };
}
