import { StringDecoder } from 'node:string_decoder';
import type { ServerMessage } from '../../../shared/audience-protocol';
import type { TerminalSession } from '../terminals/terminal-types';

/** One open page (one WebSocket) of an attendee. */
export interface PageLink {
  readonly shareId: string;
  readonly attendeeId: string;
  send(msg: ServerMessage): void;
  /** Tells the page why it ended and closes it. */
  end(reason: string): void;
}

export interface Held {
  session: TerminalSession;
  shareId: string;
  attendeeId: string;
  node: string;
  page?: PageLink;
  /** Stops forwarding output to `page`. */
  unpipe?: () => void;
  /** Runs when a session left without a page for the grace time. */
  orphanTimer?: ReturnType<typeof setTimeout>;
  stopExit: () => void;
}

export interface PageSessionsOptions {
  /** How long a session waits for its page to come back after the connection dropped. */
  graceMs: number;
  /** Someone's pages or sessions came or went (the owner's view shows them). */
  changed: (shareId: string, attendeeId: string) => void;
  setTimer?: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimer?: (t: ReturnType<typeof setTimeout>) => void;
}

/**
 * The bookkeeping between attendees' pages and their terminal sessions: which page shows
 * which session, who owns a session (only its attendee may attach, type or close it), and
 * what happens when a page goes away (its sessions wait `graceMs` for it to reconnect, then
 * close). Ending an attendee or a share ends their pages here; the sessions themselves are
 * ended by the terminal service (`killWhere`), whose exit events clear them from here.
 */
export class PageSessions {
  private readonly pages = new Set<PageLink>();
  private readonly held = new Map<string, Held>();
  private readonly setTimer: NonNullable<PageSessionsOptions['setTimer']>;
  private readonly clearTimer: NonNullable<PageSessionsOptions['clearTimer']>;

  constructor(private readonly o: PageSessionsOptions) {
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = o.clearTimer ?? ((t) => clearTimeout(t));
  }

  addPage(page: PageLink): void {
    this.pages.add(page);
    this.o.changed(page.shareId, page.attendeeId);
  }

  /** The page's connection closed: its sessions wait for it to come back. */
  removePage(page: PageLink): void {
    if (!this.pages.delete(page)) return;
    for (const h of this.held.values()) {
      if (h.page !== page) continue;
      this.detach(h);
      h.orphanTimer = this.setTimer(() => h.session.close('the page was closed and did not come back'), this.o.graceMs);
    }
    this.o.changed(page.shareId, page.attendeeId);
  }

  /** A session this page just opened: shown on it from the first byte. */
  adopt(page: PageLink, session: TerminalSession, node: string): void {
    const h: Held = { session, shareId: page.shareId, attendeeId: page.attendeeId, node, stopExit: () => undefined };
    h.stopExit = session.onExit((reason) => this.exited(session.id, reason));
    this.held.set(session.id, h);
    this.attach(h, page, false);
    this.o.changed(page.shareId, page.attendeeId);
  }

  /**
   * The attendee's session `sid`, shown on `page` from now on (with what it printed while no
   * page showed it). Undefined when it is not this attendee's or no longer runs.
   */
  reattach(page: PageLink, sid: string): Held | undefined {
    const h = this.owned(page, sid);
    if (!h) return undefined;
    if (h.orphanTimer) this.clearTimer(h.orphanTimer);
    h.orphanTimer = undefined;
    if (h.page && h.page !== page) h.page.send({ t: 'exit', sid, reason: 'opened in another window' });
    this.detach(h);
    this.attach(h, page, true);
    return h;
  }

  /** The session if `page`'s attendee owns it; another attendee's session id is as good as unknown. */
  owned(page: PageLink, sid: string): Held | undefined {
    const h = this.held.get(sid);
    return h && h.shareId === page.shareId && h.attendeeId === page.attendeeId ? h : undefined;
  }

  /** Sessions shown on this page now. */
  attachedTo(page: PageLink): number {
    let n = 0;
    for (const h of this.held.values()) if (h.page === page) n++;
    return n;
  }

  pagesOf(shareId: string, attendeeId?: string): PageLink[] {
    return [...this.pages].filter((p) => p.shareId === shareId && (attendeeId === undefined || p.attendeeId === attendeeId));
  }

  count(shareId: string, attendeeId: string): { pages: number; sessions: number } {
    let sessions = 0;
    for (const h of this.held.values()) if (h.shareId === shareId && h.attendeeId === attendeeId) sessions++;
    return { pages: this.pagesOf(shareId, attendeeId).length, sessions };
  }

  /** Ends the pages of an attendee (or of the whole share); their sessions are the terminal service's to kill. */
  endPages(shareId: string, attendeeId: string | undefined, reason: string): number {
    const pages = this.pagesOf(shareId, attendeeId);
    for (const p of pages) {
      p.end(reason);
      this.removePage(p);
    }
    return pages.length;
  }

  /** Sessions still held for this share or attendee (after a kill they leave through their exit). */
  sessionsOf(shareId: string, attendeeId?: string): TerminalSession[] {
    return [...this.held.values()].filter((h) => h.shareId === shareId && (attendeeId === undefined || h.attendeeId === attendeeId)).map((h) => h.session);
  }

  /** Stops every timer and listener (the app is shutting down). */
  dispose(): void {
    for (const h of this.held.values()) {
      if (h.orphanTimer) this.clearTimer(h.orphanTimer);
      h.unpipe?.();
      h.stopExit();
    }
    this.held.clear();
    this.pages.clear();
  }

  private attach(h: Held, page: PageLink, withBacklog: boolean): void {
    const decoder = new StringDecoder('utf8');
    const sid = h.session.id;
    if (withBacklog) {
      const past = decoder.write(h.session.backlog());
      if (past) page.send({ t: 'data', sid, d: past });
    }
    h.page = page;
    h.unpipe = h.session.onData((chunk) => {
      const d = decoder.write(chunk);
      if (d) page.send({ t: 'data', sid, d });
    });
  }

  private detach(h: Held): void {
    h.unpipe?.();
    h.unpipe = undefined;
    h.page = undefined;
  }

  private exited(sid: string, reason: string): void {
    const h = this.held.get(sid);
    if (!h) return;
    this.held.delete(sid);
    if (h.orphanTimer) this.clearTimer(h.orphanTimer);
    h.page?.send({ t: 'exit', sid, reason });
    this.detach(h);
    h.stopExit();
    this.o.changed(h.shareId, h.attendeeId);
  }
}
