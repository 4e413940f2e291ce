import http from 'node:http';
import WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../shared/audience-protocol';

/**
 * An attendee's page as a script sees it: the HTML at a personal link, and the page's own
 * WebSocket (`<link>/ws`) with the Origin a browser on that page would send. Waits are driven
 * by the messages that arrive, never by sleeping.
 */
export interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function fetchPage(url: string, o: { method?: string; localAddress?: string } = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'GET', localAddress: o.localAddress, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer from ${new URL(url).host} within 15 s`)));
    req.end();
  });
}

export class AudienceClient {
  readonly messages: ServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string; at: number }>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      for (const w of [...this.waiters]) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString(), at: Date.now() });
      for (const w of [...this.waiters]) w();
    }));
  }

  /** Opens `<link>/ws` with the page's own Origin (or `origin` to play another site). */
  static connect(link: string, o: { origin?: string | null; localAddress?: string } = {}): Promise<AudienceClient> {
    const u = new URL(link);
    const origin = o.origin === undefined ? u.origin : o.origin;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}${u.pathname.replace(/\/$/, '')}/ws`, { ...(origin === null ? {} : { origin }), localAddress: o.localAddress, handshakeTimeout: 15_000 });
      const client = new AudienceClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`the page's WebSocket was refused: HTTP ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(m: ClientMessage | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(m));
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** The first message (from `from` on) that `pred` accepts. */
  next<T extends ServerMessage>(pred: (m: ServerMessage) => m is T, what: string, timeoutMs?: number, from?: number): Promise<T>;
  next(pred: (m: ServerMessage) => boolean, what: string, timeoutMs?: number, from?: number): Promise<ServerMessage>;
  next(pred: (m: ServerMessage) => boolean, what: string, timeoutMs = 10_000, from = 0): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.messages.slice(from).find(pred);
        if (m) {
          done();
          resolve(m);
        } else if (this.ws.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error(`the page's WebSocket closed while waiting for ${what}; got ${JSON.stringify(this.messages.slice(-5))}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last messages ${JSON.stringify(this.messages.slice(-5))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Everything a terminal session printed on this page so far. */
  output(sid: string): string {
    return this.messages.filter((m): m is Extract<ServerMessage, { t: 'data' }> => m.t === 'data' && m.sid === sid).map((m) => m.d).join('');
  }

  /** Waits until the session's output contains `text`. */
  async waitOutput(sid: string, text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const has = () => (typeof text === 'string' ? this.output(sid).includes(text) : text.test(this.output(sid)));
    await this.next(() => has(), `terminal ${sid} to print ${String(text)}`, timeoutMs);
    return this.output(sid);
  }

  close(): void {
    this.ws.close();
  }
}
