import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { WebSocketServer } from 'ws';
import type { Core } from '../core/app-core-types';
import { originAllowed, tokenMatches } from './origin-check';
import { send, serveStatic } from './static-files';
import { attachRpc } from './ws-rpc';

export interface HostServerOptions {
  core: Core;
  host: string;
  port: number;
  staticDir: string;
  /** Fixed token for tests; a random one per start otherwise. */
  token?: string;
}

export interface HostServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/** The headless host: the built UI over HTTP and the API as JSON-RPC on a WebSocket at /api. */
export async function startHostServer(o: HostServerOptions): Promise<HostServer> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  let listenPort = 0;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    const url = new URL(req.url ?? '/', 'http://x');
    // A browser cannot read why a WebSocket upgrade failed; the UI asks here to tell a
    // refused token (host restarted: open the new URL) from a host that is down.
    if (url.pathname === '/api') {
      if (!tokenMatches(url.searchParams.get('token'), token)) return send(res, 401, 'the token is missing or no longer valid: open the URL the host printed');
      return send(res, 426, 'upgrade to a WebSocket for JSON-RPC 2.0');
    }
    serveStatic(o.staticDir, req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const refuse = (status: number, why: string) => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${why}\n`);
    };
    if (url.pathname !== '/api') return refuse(404, 'Not Found');
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse(401, 'Unauthorized: open the URL the host printed, it carries the token');
    if (!originAllowed(req.headers.origin, req.headers.host, o.host, listenPort)) return refuse(403, 'Forbidden: cross-origin WebSocket refused');
    wss.handleUpgrade(req, socket, head, (ws) => attachRpc(ws, o.core));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  listenPort = (server.address() as net.AddressInfo).port;
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shownHost}:${listenPort}/?token=${token}`,
    token,
    port: listenPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
