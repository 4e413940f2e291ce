import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Core } from '../core/app-core-types';
import { DEFAULT_LIMITS, type HostLimits } from './host-limits';
import { originAllowed, tokenMatches } from './origin-check';
import { parseTarget } from './request-target';
import { send, serveStatic } from './static-files';
import { attachRpc } from './ws-rpc';

export interface HostServerOptions {
  core: Core;
  host: string;
  port: number;
  staticDir: string;
  /** Fixed token (tests, CLAB_PUBLISHER_TOKEN checked by the CLI); a random one per start otherwise. */
  token?: string;
  limits?: Partial<HostLimits>;
  /** Where the host says what it refused and why; stderr by default. */
  log?: (line: string) => void;
}

export interface HostServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The headless host: the built UI over HTTP and the API as JSON-RPC on a WebSocket at /api.
 * No request, upgrade or frame can throw past its handler: each bad one is answered (or its
 * connection closed) and the host keeps serving everybody else.
 */
export async function startHostServer(o: HostServerOptions): Promise<HostServer> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const limits: HostLimits = { ...DEFAULT_LIMITS, ...o.limits };
  const say = o.log ?? ((line: string) => console.warn(`clab-publisher: ${line}`));
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
  let listenPort = 0;

  const timeouts = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: 2 * limits.headersTimeoutMs, // GET and HEAD only: no body to wait for
    connectionsCheckingInterval: 1_000,
  };
  const server = http.createServer(timeouts, (req, res) => {
    try {
      onRequest(req, res);
    } catch (err) {
      say(`internal error answering ${req.method} (${peerOf(req.socket)}): ${(err as Error).message}`);
      send(res, 500, 'internal error: the request was not served');
    }
  });
  function onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    // Bodies are never read: only GET and HEAD exist.
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed: the host serves GET and HEAD', { Allow: 'GET, HEAD', Connection: 'close' });
    const target = parseTarget(req.url);
    if (!target.ok) return send(res, target.status, `bad request: ${target.why}`, { Connection: 'close' });
    // A browser cannot read why a WebSocket upgrade failed; the UI asks here to tell a
    // refused token (host restarted: open the new URL) from a host that is down.
    if (target.path === '/api') {
      if (!tokenMatches(target.query.get('token'), token)) return send(res, 401, 'the token is missing or no longer valid: open the URL the host printed');
      return send(res, 426, 'upgrade to a WebSocket for JSON-RPC 2.0');
    }
    serveStatic(o.staticDir, target.path, req, res);
  }

  server.maxConnections = limits.maxConnections;
  // Every socket gets an error listener for its whole life: after an upgrade Node removes its
  // own, and a client that resets at once would otherwise end the process (ECONNRESET).
  server.on('connection', (socket) => socket.on('error', () => {}));
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    try {
      onUpgrade(req, socket, head);
    } catch (err) {
      say(`internal error on a WebSocket upgrade (${peerOf(socket)}): ${(err as Error).message}`);
      socket.destroy();
    }
  });
  function onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, why: string) => {
      if (socket.writable) socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${why}\n`);
      else socket.destroy();
    };
    const target = parseTarget(req.url);
    if (!target.ok) return refuse(target.status, `bad request: ${target.why}`);
    if (target.path !== '/api') return refuse(404, 'not found: the API is at /api');
    if (!tokenMatches(target.query.get('token'), token)) return refuse(401, 'unauthorized: open the URL the host printed, it carries the token');
    if (!originAllowed(req.headers.origin, req.headers.host, o.host, listenPort)) return refuse(403, 'forbidden: cross-origin WebSocket refused');
    const peer = peerOf(socket);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Accepted, then closed: a browser can read a close reason, never an HTTP refusal.
      if (wss.clients.size > limits.maxClients) {
        say(`refused an API client (${peer}): already ${limits.maxClients} connected`);
        ws.on('error', () => {});
        return ws.close(1013, `too many clients (${limits.maxClients}): close another tab or raise --max-clients`);
      }
      attachRpc(ws, { core: o.core, limits, peer, say });
    });
  }
  // Malformed HTTP is answered by Node itself (400, 431, 408) through its default clientError.
  wss.on('error', (err) => say(`WebSocket server error: ${err.message}`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After start-up a server error (e.g. out of file descriptors on accept) is said, not fatal.
  server.on('error', (err) => say(`HTTP server error: ${err.message}`));
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

function peerOf(socket: Duplex): string {
  const s = socket as net.Socket;
  return s.remoteAddress ? `${s.remoteAddress}:${s.remotePort}` : 'unknown peer';
}
