import { CLOSE_ENDED, CLOSE_TOO_MANY, type ClientMessage, type ServerMessage } from '../shared/audience-protocol';

export interface PageSocketHandlers {
  message(m: ServerMessage): void;
  /** Connected (again): anything the page had open is asked back. */
  open(again: boolean): void;
  /** The link no longer opens anything: stop for good. */
  ended(reason: string): void;
  /** Connection lost; `retryInMs` until the next attempt. */
  down(retryInMs: number): void;
}

const PING_MS = 5_000;
/** Nothing heard for this long (not even a pong): the network dropped without a word. */
const SILENCE_MS = 15_000;
const MAX_BACKOFF_MS = 10_000;

/**
 * The page's WebSocket to the app, kept up: a dropped connection (a network blip, a laptop
 * lid) comes back with backoff, and a silent one is noticed by its missing pongs. When the
 * app refuses the link outright, the page asks the server why (a HEAD of the page) instead of
 * retrying forever.
 */
export class PageSocket {
  private ws?: WebSocket;
  private attempts = 0;
  private lastHeard = Date.now();
  private pinger?: ReturnType<typeof setInterval>;
  private retry?: ReturnType<typeof setTimeout>;
  private stopped = false;
  private everOpen = false;

  constructor(
    private readonly url: string,
    private readonly h: PageSocketHandlers,
  ) {
    this.connect();
  }

  send(m: ClientMessage): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(m));
    return true;
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.pinger);
    clearTimeout(this.retry);
    this.ws?.close();
  }

  /** Drops the connection as a network failure would (used when the page notices silence). */
  private drop(): void {
    this.ws?.close();
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempts = 0;
      this.lastHeard = Date.now();
      const again = this.everOpen;
      this.everOpen = true;
      clearInterval(this.pinger);
      this.pinger = setInterval(() => {
        if (Date.now() - this.lastHeard > SILENCE_MS) return this.drop();
        this.send({ t: 'ping' });
      }, PING_MS);
      this.h.open(again);
    };
    ws.onmessage = (e) => {
      this.lastHeard = Date.now();
      let m: ServerMessage;
      try {
        m = JSON.parse(String(e.data)) as ServerMessage;
      } catch {
        return;
      }
      if (m.t === 'ended') return this.end(m.reason);
      this.h.message(m);
    };
    ws.onclose = (e) => {
      clearInterval(this.pinger);
      if (this.ws !== ws || this.stopped) return;
      if (e.code === CLOSE_ENDED) return this.end(e.reason || 'This share has ended.');
      if (e.code === CLOSE_TOO_MANY) return this.end(`Not opened here: ${e.reason || 'too many pages are open with this link'}.`);
      if (!opened) return void this.whyRefused();
      this.schedule();
    };
  }

  private schedule(): void {
    const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts++);
    this.h.down(wait);
    this.retry = setTimeout(() => this.connect(), wait);
  }

  /** The upgrade failed: a link that stopped working says so with its status; anything else is retried. */
  private async whyRefused(): Promise<void> {
    try {
      const r = await fetch(location.href, { method: 'HEAD', cache: 'no-store' });
      if (r.status === 410) return this.end('This share has ended.');
      if (r.status === 404) return this.end('This link is no longer valid: ask the organiser for a new one.');
    } catch {
      // The app cannot be reached at all: a network problem, retried below.
    }
    this.schedule();
  }

  private end(reason: string): void {
    this.stopped = true;
    clearInterval(this.pinger);
    clearTimeout(this.retry);
    this.ws?.close();
    this.h.ended(reason);
  }
}
