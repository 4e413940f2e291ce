import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { SECURITY_HEADERS } from './security-headers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built renderer; never anything outside its folder. `decodedPath` comes from
 * parseTarget (one leading slash, no control characters).
 */
export function serveStatic(root: string, decodedPath: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  let rel = decodedPath;
  if (rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(path.resolve(root) + path.sep)) return send(res, 403, 'forbidden');
  fs.readFile(file, (err, body) => {
    // Outside the request handler's try: this callback must not throw either.
    try {
      if (err) {
        if (rel === '/index.html') return send(res, 500, `the UI is not built: run "npm run build" (looked in ${root})`);
        return send(res, 404, 'not found');
      }
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.destroy();
    }
  });
}

export function send(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  // A handler that failed after it started answering cannot answer again: end what was sent.
  if (res.headersSent) return void res.end();
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text + '\n');
}
