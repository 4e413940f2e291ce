import { StringDecoder } from 'node:string_decoder';
import type { RawData, WebSocket } from 'ws';
import { CLOSE_ENDED, type AudiencePage, type ClientMessage, type ServerMessage } from '../../../shared/audience-protocol';
import { clientMessage } from '../../../shared/audience-schemas';
import { AppError } from '../../../shared/rpc-errors';
import type { TerminalSessionInfo } from '../../../shared/terminal-model';
import type { Logger } from '../logs/logger';
import type { ActivityRecord, ShareAuditLog } from '../shares/share-audit-log';
import type { OpenTerminal, Terminals } from '../terminals/terminal-types';
import type { StoredAttendee } from './audience-store';
import type { PageOrigin } from './page-server';
import type { PageLink, PageSessions } from './page-sessions';

/** A page that reads slower than its terminals print is dropped (it reconnects and gets the backlog). */
const MAX_BUFFERED = 8 * 1024 * 1024;
/** Messages a page may send per second (keystrokes, resizes) before it is closed. */
const MAX_MESSAGES_PER_S = 500;
const HEARTBEAT_MS = 20_000;

export interface PageConnectionDeps {
  shareId: string;
  attendee: StoredAttendee;
  origin: PageOrigin;
  book: PageSessions;
  terminals?: Terminals;
  /** The page as this attendee sees it now; undefined once the share is gone. */
  page(): AudiencePage | undefined;
  request(node: string, cols: number, rows: number): OpenTerminal | { refused: string };
  audit(): ShareAuditLog | undefined;
  /** Each terminal session's audit record (shared by every page that shows it). */
  sessionAudit: Map<string, ActivityRecord>;
  /** Terminals one page may hold (the "anyone" entry); named attendees are capped by the service. */
  maxPerPage?: number;
  log: Logger;
  closed(conn: PageConnection): void;
}

/**
 * One attendee page on its WebSocket: the page's protocol (shared/audience-protocol.ts) and
 * nothing more. Every message is checked against the schema; terminals are reached only
 * through sessions this attendee owns; the owner's broadcast only as output.
 */
export class PageConnection implements PageLink {
  readonly shareId: string;
  readonly attendeeId: string;
  private readonly record?: ActivityRecord;
  private watching?: { id: string; size: { cols: number; rows: number }; stop(reason?: string): void };
  private window = { start: Date.now(), count: 0 };
  private alive = true;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private done = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly d: PageConnectionDeps,
  ) {
    this.shareId = d.shareId;
    this.attendeeId = d.attendee.id;
    this.record = d.audit()?.activity({ kind: 'page', node: '', port: 0, peer: { address: d.origin.address, port: portOf(d.origin.from) }, attendee: d.attendee.name, attendeeId: d.attendee.id });
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    ws.on('close', () => this.cleanup());
    this.heartbeat = setInterval(() => {
      // A page behind a dead network never says goodbye: two missed pongs and it is gone.
      if (!this.alive) return void ws.terminate();
      this.alive = false;
      ws.ping();
    }, HEARTBEAT_MS);
    this.heartbeat.unref?.();
    d.book.addPage(this);
    this.pushPage();
  }

  pushPage(): void {
    const page = this.d.page();
    if (page) this.send({ t: 'page', page });
  }

  send(msg: ServerMessage): void {
    if (this.done || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED) {
      this.d.log.warn(`audience page of ${this.d.attendee.name} reads too slowly: closed (it reconnects and gets the terminal's recent output)`, { share: this.shareId });
      return void this.ws.close(1008, 'the page could not keep up; reconnecting');
    }
    const text = JSON.stringify(msg);
    if (this.record) this.record.stats.bytesOut += text.length;
    this.ws.send(text);
  }

  end(reason: string): void {
    this.send({ t: 'ended', reason });
    this.ws.close(CLOSE_ENDED, reason.slice(0, 120));
    this.cleanup(reason);
  }

  /** The owner's broadcast changed: a spectator of one that stopped is told; a new size is passed on. */
  broadcastChanged(): void {
    if (!this.watching) return;
    const view = this.d.terminals?.broadcastOf(this.shareId);
    if (!view || view.id !== this.watching.id) return this.watching.stop('the organiser stopped sharing their terminal');
    const size = sizeOf(view.info());
    if (size.cols !== this.watching.size.cols || size.rows !== this.watching.size.rows) {
      this.watching.size = size;
      this.send({ t: 'watch-size', ...size });
    }
  }

  private cleanup(reason?: string): void {
    if (this.done) return;
    this.done = true;
    clearInterval(this.heartbeat);
    this.watching?.stop();
    this.d.book.removePage(this);
    this.record?.end(reason);
    this.d.closed(this);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const now = Date.now();
    if (now - this.window.start >= 1000) this.window = { start: now, count: 0 };
    if (++this.window.count > MAX_MESSAGES_PER_S) return void this.ws.close(1008, 'too many messages');
    const raw = Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
    if (this.record) this.record.stats.bytesIn += raw.length;
    let msg: ClientMessage;
    try {
      if (isBinary) throw new Error('binary');
      const parsed = clientMessage.safeParse(JSON.parse(raw.toString('utf8')));
      if (!parsed.success) throw new Error('schema');
      msg = parsed.data;
    } catch {
      // Nothing of what was sent is echoed back: the page only speaks the few messages it knows.
      return this.send({ t: 'error', message: 'not a message this page understands' });
    }
    this.handle(msg).catch((err: Error) => this.send({ t: 'error', message: err.message }));
  }

  private async handle(m: ClientMessage): Promise<void> {
    switch (m.t) {
      case 'ping':
        return this.send({ t: 'pong' });
      case 'open':
        return this.open(m.ref, m.node, m.cols, m.rows);
      case 'attach': {
        const h = this.d.book.owned(this, m.sid);
        if (!h) return this.send({ t: 'exit', sid: m.sid, reason: 'this terminal has ended' });
        // First the answer (the page clears the screen), then what it printed meanwhile.
        this.send({ t: 'opened', ref: m.ref, sid: m.sid, node: h.node, via: h.session.info().via, reattached: true });
        this.d.book.reattach(this, m.sid);
        return h.session.resize(m.cols, m.rows);
      }
      case 'in': {
        const h = this.d.book.owned(this, m.sid);
        if (!h) return this.send({ t: 'exit', sid: m.sid, reason: 'this terminal has ended' });
        const rec = this.d.sessionAudit.get(m.sid);
        if (rec) rec.stats.bytesIn += Buffer.byteLength(m.d);
        return h.session.write(m.d);
      }
      case 'resize':
        return this.d.book.owned(this, m.sid)?.session.resize(m.cols, m.rows);
      case 'close':
        return this.d.book.owned(this, m.sid)?.session.close('closed on the page');
      case 'watch':
        return m.on ? this.watch() : this.watching?.stop();
    }
  }

  private async open(ref: number, node: string, cols: number, rows: number): Promise<void> {
    const refuse = (message: string) => this.send({ t: 'error', ref, message });
    const terminals = this.d.terminals;
    if (!terminals) return refuse('terminals are not available in this app');
    if (this.d.maxPerPage !== undefined && this.d.book.attachedTo(this) >= this.d.maxPerPage) return refuse(`at most ${this.d.maxPerPage} terminal(s) at once: close one first`);
    const req = this.d.request(node, cols, rows);
    if ('refused' in req) return refuse(req.refused);
    const peer = { address: this.d.origin.address, port: portOf(this.d.origin.from) };
    const activity = { kind: 'terminal' as const, node, port: req.target.via === 'ssh' ? req.target.port : 0, peer, attendee: this.d.attendee.name, attendeeId: this.d.attendee.id };
    let session;
    try {
      session = await terminals.open(req);
    } catch (err) {
      const message = err instanceof AppError ? err.message : `the terminal could not be opened: ${(err as Error).message}`;
      this.d.audit()?.refusedActivity(activity, message);
      return refuse(message);
    }
    if (this.done) return session.close('the page closed before the terminal opened');
    const rec = this.d.audit()?.activity(activity);
    if (rec) {
      this.d.sessionAudit.set(session.id, rec);
      session.onData((c) => (rec.stats.bytesOut += c.length));
      session.onExit((reason) => {
        rec.end(reason);
        this.d.sessionAudit.delete(session.id);
      });
    }
    this.send({ t: 'opened', ref, sid: session.id, node, via: req.target.via, reattached: false });
    this.d.book.adopt(this, session, node);
  }

  /** Follows the owner's broadcast: its output only; this page has no way to write to it. */
  private watch(): void {
    if (this.watching) return;
    const terminals = this.d.terminals;
    const out = terminals?.broadcastOf(this.shareId);
    if (!terminals || !out) return this.send({ t: 'watch-end', reason: 'there is no live demo right now' });
    const id = out.id;
    const info = out.info();
    const node = info.node;
    const size = sizeOf(info);
    const decoder = new StringDecoder('utf8');
    this.send({ t: 'watch-start', node, backlog: decoder.write(out.backlog()), ...size });
    const rec = this.d.audit()?.activity({ kind: 'watch', node, port: 0, peer: { address: this.d.origin.address, port: portOf(this.d.origin.from) }, attendee: this.d.attendee.name, attendeeId: this.d.attendee.id });
    const offData = out.onData((c) => {
      if (rec) rec.stats.bytesOut += c.length;
      const s = decoder.write(c);
      if (s) this.send({ t: 'watch-data', d: s });
    });
    const offExit = out.onExit((reason) => this.watching?.stop(`the organiser's terminal ended: ${reason}`));
    terminals.spectate(id, 1);
    this.watching = {
      id,
      size,
      stop: (reason) => {
        this.watching = undefined;
        offData();
        offExit();
        terminals.spectate(id, -1);
        rec?.end(reason);
        if (reason) this.send({ t: 'watch-end', reason });
      },
    };
  }
}

/** The session's size now (the spectator's view takes it). */
function sizeOf(info: TerminalSessionInfo): { cols: number; rows: number } {
  return { cols: info.cols, rows: info.rows };
}

function portOf(from: string): number {
  const n = Number(from.slice(from.lastIndexOf(':') + 1));
  return Number.isInteger(n) ? n : 0;
}
