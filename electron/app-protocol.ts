/**
 * The packaged UI's own origin: the built renderer is served from `app://clab-publisher/`
 * instead of `file://`, so the page is a normal secure origin (`'self'` in the CSP means just
 * our files, no file-system reach) and the GrantFileProtocolExtraPrivileges fuse can be off.
 * This file holds the rules (pure Node, tested without the binary); main.ts registers the
 * scheme before `ready` and hands `createRendererHandler` to `protocol.handle`.
 * Why and the Electron facts behind it: docs/desktop-shell.md.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'clab-publisher';
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * standard: relative URLs and a real origin; secure: a secure context like https. Not
 * corsEnabled: our own (same-origin) module scripts load without it, and other origins (a
 * login page) cannot fetch our files. No bypassCSP, no service workers.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

/** A built renderer is a few MB; anything bigger under that folder is not ours to serve. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export interface RendererHandlerOptions {
  /** The built renderer folder (`.vite/renderer/main_window`). */
  root: string;
  /** The Content-Security-Policy every response carries. */
  csp: string;
  log?: (message: string) => void;
}

/**
 * Maps `app://clab-publisher/<path>` to a regular file under `root`. Refuses other hosts,
 * methods other than GET/HEAD, encoded separators and NUL, and anything that resolves outside
 * the folder (`..`, `%2e%2e%2f`), all before touching the disk.
 */
export function createRendererHandler(opts: RendererHandlerOptions): (request: Request) => Promise<Response> {
  const root = path.resolve(opts.root);
  const headers = (type: string): Record<string, string> => ({
    'Content-Type': type,
    'Content-Security-Policy': opts.csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  });
  const refuse = (status: number, text: string) => new Response(`${text}\n`, { status, headers: headers('text/plain; charset=utf-8') });

  return async (request) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'only GET and HEAD');
      const url = new URL(request.url);
      if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, 'not found');
      const file = resolveUnder(root, url.pathname);
      if (!file) {
        opts.log?.(`[app-protocol] refused ${url.pathname.slice(0, 200)}: outside the UI folder`);
        return refuse(403, 'forbidden');
      }
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat?.isFile() || stat.size > MAX_FILE_BYTES) {
        return file === path.join(root, 'index.html') ? refuse(500, `the UI is not built (looked in ${root})`) : refuse(404, 'not found');
      }
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      const body = request.method === 'HEAD' ? null : await fs.readFile(file);
      return new Response(body, { status: 200, headers: headers(type) });
    } catch (err) {
      opts.log?.(`[app-protocol] ${request.url.slice(0, 200)} failed: ${String(err)}`);
      return refuse(500, 'could not read the file');
    }
  };
}

/** The file a URL path names under `root`, or undefined when it would leave `root`. */
export function resolveUnder(root: string, urlPath: string): string | undefined {
  // %2F / %5C would hide a separator from the URL parser's own `..` handling.
  if (/%2f|%5c|%00/i.test(urlPath)) return undefined;
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (rel.includes('\0') || rel.includes('\\')) return undefined;
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(root, `.${rel.startsWith('/') ? '' : '/'}${rel}`);
  const inside = path.relative(root, file);
  if (!inside || inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
  return file;
}
