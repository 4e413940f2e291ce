import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_ENDED } from '../../../shared/audience-protocol';
import { buildAudienceCsp } from '../../../shared/csp';
import type { Logger } from '../logs/logger';
import type { FailureLimiter } from './failure-limiter';
import { endedPage, messagePage } from './page-document';
import { routeOf, sameOrigin } from './page-routes';

/** Which share's forward a connection to the listener came through, and from whom. */
export interface PageOrigin {
  shareId: string;
  /** `address:port` as the provider saw it (the local listener's peer, the relay channel's originator). */
  from: string;
  address: string;
}

export type Resolution = { kind: 'ok'; attendeeId: string } | { kind: 'ended'; why: string } | { kind: 'unknown' };

export interface PageServerHooks {
  /** The share and source of a loopback connection the publisher made (by its local port). */
  originOf(localPort: number): PageOrigin | undefined;
  resolve(shareId: string, token: string): Resolution;
  /** The attendee's whole page; `selfLink` is the link it was opened with. */
  render(shareId: string, attendeeId: string, selfLink: string): string | undefined;
  /** The share's page address (no secret), for the Origin check and the page's own link. */
  linkOf(shareId: string): string | undefined;
  /** A page's WebSocket, accepted. */
  connect(ws: WebSocket, who: { shareId: string; attendeeId: string; origin: PageOrigin }): void;
  /** A link that opens nothing (audited and logged, without the link). */
  refused(origin: PageOrigin, reason: string): void;
}

export const AUDIENCE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': buildAudienceCsp(),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The secret is in the path: no link on the page may carry it elsewhere as a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.woff2': 'font/woff2', '.svg': 'image/svg+xml' };
const MAX_PAYLOAD = 64 * 1024;

/**
 * The audience page's own HTTP listener, on loopback only. Nothing reaches it but the share
 * forwards the publisher pipes in (a connection it does not know is refused), and nothing is
 * served on it but attendee pages, their WebSocket and the page's static files: the owner's
 * API does not exist on this origin. No request can throw past its handler.
 */
export class PageServer {
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  private template: string;
  port = 0;

  constructor(
    private readonly o: { hooks: PageServerHooks; limiter: FailureLimiter; assetsDir?: string; template: string; log: Logger },
  ) {
    this.template = o.template;
    this.server = http.createServer({ headersTimeout: 10_000, requestTimeout: 20_000, connectionsCheckingInterval: 1000 }, (req, res) => {
      try {
        this.onRequest(req, res);
      } catch (err) {
        this.o.log.error(`audience page: internal error answering a request: ${(err as Error).message}`);
        this.send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      }
    });
    this.server.maxConnections = 2000;
    this.server.on('connection', (s) => s.on('error', () => undefined));
    this.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => undefined);
      try {
        this.onUpgrade(req, socket, head);
      } catch (err) {
        this.o.log.error(`audience page: internal error on a WebSocket upgrade: ${(err as Error).message}`);
        socket.destroy();
      }
    });
    this.wss.on('error', (err) => this.o.log.warn(`audience page WebSocket server: ${err.message}`));
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.server.on('error', (err) => this.o.log.warn(`audience page listener: ${err.message}`));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private originOf(socket: Duplex): PageOrigin | undefined {
    const port = (socket as net.Socket).remotePort;
    return port === undefined ? undefined : this.o.hooks.originOf(port);
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const origin = this.originOf(req.socket);
    if (!origin) return this.send(res, 403, 'text/plain; charset=utf-8', 'open the page through the link you were given\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.send(res, 405, 'text/plain; charset=utf-8', 'only GET and HEAD are served here\n', { Allow: 'GET, HEAD' });
    const route = routeOf(req.url);
    const html = (status: number, body: string, extra?: Record<string, string>) => this.send(res, status, 'text/html; charset=utf-8', req.method === 'HEAD' ? '' : body, extra);
    switch (route.kind) {
      case 'root':
        return html(200, messagePage(this.template, 'Shared lab', 'This is the page of a shared lab. Open the personal link you were given: it leads to your page.'));
      case 'asset':
        return this.asset(route.name, req, res);
      case 'none':
        return html(404, messagePage(this.template, 'Not found', 'There is nothing at this address.'));
      case 'socket':
        return this.send(res, 426, 'text/plain; charset=utf-8', 'this address takes a WebSocket from the page\n');
      case 'page': {
        const wait = this.o.limiter.blockedFor(origin.address);
        if (wait) return html(429, messagePage(this.template, 'Too many attempts', `Too many links that are not valid came from your address. Try again in ${wait} s.`), { 'Retry-After': String(wait) });
        const r = this.o.hooks.resolve(origin.shareId, route.token);
        if (r.kind === 'unknown') {
          this.fail(origin);
          return html(404, messagePage(this.template, 'This link is not valid', 'Check that the whole link was copied, or ask the organiser for yours.'));
        }
        if (r.kind === 'ended') return html(410, endedPage(this.template, r.why));
        const self = `${this.o.hooks.linkOf(origin.shareId) ?? `http://${req.headers.host ?? '127.0.0.1'}`}/p/${route.token}`;
        const page = this.o.hooks.render(origin.shareId, r.attendeeId, self);
        return page ? html(200, page) : html(410, endedPage(this.template, 'This share is no longer available.'));
      }
    }
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, why: string) => {
      if (socket.writable) socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${why}\n`);
      else socket.destroy();
    };
    const origin = this.originOf(socket);
    if (!origin) return refuse(403, 'open the page through the link you were given');
    const route = routeOf(req.url);
    if (route.kind !== 'socket') return refuse(404, 'not found');
    const wait = this.o.limiter.blockedFor(origin.address);
    if (wait) return refuse(429, `too many links that are not valid from your address: try again in ${wait} s`);
    if (!sameOrigin(req.headers.origin, req.headers.host, this.o.hooks.linkOf(origin.shareId))) return refuse(403, 'cross-origin WebSocket refused');
    const r = this.o.hooks.resolve(origin.shareId, route.token);
    if (r.kind === 'unknown') {
      this.fail(origin);
      return refuse(404, 'this link is not valid');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      // A browser cannot read an HTTP refusal of a WebSocket, but it reads a close reason.
      if (r.kind === 'ended') return ws.close(CLOSE_ENDED, r.why.slice(0, 120));
      this.o.hooks.connect(ws, { shareId: origin.shareId, attendeeId: r.attendeeId, origin });
    });
  }

  private fail(origin: PageOrigin): void {
    this.o.limiter.fail(origin.address);
    this.o.hooks.refused(origin, 'a link that is not valid (unknown attendee or wrong secret)');
  }

  private asset(name: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const type = TYPES[path.extname(name)];
    if (!this.o.assetsDir || !type) return this.send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    fs.readFile(path.join(this.o.assetsDir, 'assets', name), (err, body) => {
      try {
        if (err) return this.send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
        // Built files carry a content hash in their name: a browser may keep them.
        this.send(res, 200, type, req.method === 'HEAD' ? '' : body, { 'Cache-Control': 'public, max-age=31536000, immutable' });
      } catch {
        res.destroy();
      }
    });
  }

  private send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
    if (res.headersSent) return void res.end();
    res.writeHead(status, { ...AUDIENCE_HEADERS, 'Content-Type': type, ...extra });
    res.end(body);
  }
}
