import type { WebSocket } from 'ws';
import type { ParamsOut } from '../../../shared/contract';
import { AppError } from '../../../shared/rpc-errors';
import { attendeeState, pagePath, type Attendee, type AudiencePageInfo, type IssuedLink, type ShareAudience } from '../../../shared/audience-model';
import { CLOSE_TOO_MANY, type AudiencePage } from '../../../shared/audience-protocol';
import type { Share } from '../../../shared/share-model';
import { isShareEnded } from '../../../shared/share-model';
import { formatWhen } from '../../../shared/share-time';
import type { LabsService } from '../labs/labs-service';
import type { Logger } from '../logs/logger';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { SettingsStore } from '../settings/settings-store';
import type { ShareLogin } from '../shares/share-login';
import type { ShareService } from '../shares/share-service';
import type { ActivityRecord } from '../shares/share-audit-log';
import type { Terminals } from '../terminals/terminal-types';
import { Emitter } from '../util/emitter';
import { AttendeeRegistry } from './attendees';
import { AudienceStore, type StoredAttendee } from './audience-store';
import { checkSettings } from './audience-settings';
import { DEFAULT_FAILURE_LIMITS, FailureLimiter, type FailureLimits } from './failure-limiter';
import { PageConnection } from './page-connection';
import { attendeePage, loadTemplate } from './page-document';
import { PagePublisher } from './page-publisher';
import { PageServer, type PageOrigin, type Resolution } from './page-server';
import { PageSessions } from './page-sessions';
import { pageStateOf } from './page-state';
import { terminalRequest } from './terminal-request';

/** Page states and the owner's view are refreshed at most this often. */
const PUSH_MS = 100;
/** A session whose page dropped waits this long for it to come back (a network blip). */
const GRACE_MS = 60_000;
/** Pages open at once with one named attendee's link, and with the room's "anyone" link. */
const MAX_PAGES_NAMED = 10;
const MAX_PAGES_ANYONE = 500;
/** How long adding an attendee waits for the page's address to put into the link. */
const LINK_WAIT_MS = 5_000;

export interface AudienceServiceDeps {
  shares: ShareService;
  labs: LabsService;
  providers: ProviderRegistry;
  /** Tunnel changes move the nodes' live states on the pages. */
  tunnels: { onChanged(l: () => void): () => void };
  /** The terminal service; absent: pages show the commands, terminals are refused with a reason. */
  terminals?: Terminals;
  /** The login a share names for a node (password decrypted): used by the app, never sent to a page. */
  shareLogin: (shareId: string, target: { host: string; lab: string; node: string }) => ShareLogin;
  settings: SettingsStore;
  log: Logger;
  /** The built audience app (index.html and assets/); absent or unbuilt: plain pages without script. */
  assetsDir?: string;
  now?: () => number;
  failureLimits?: FailureLimits;
  graceMs?: number;
}

/**
 * The audience of every share: attendees and their links, each share's page (served by the
 * app on its own loopback listener, published through the share's provider), the pages'
 * WebSockets and the terminals they open. Reacts to the shares: an ended share ends its pages
 * and sessions at once, a removed one takes its attendees with it.
 */
export class AudienceService {
  private readonly registry: AttendeeRegistry;
  private readonly limiter: FailureLimiter;
  private readonly book: PageSessions;
  private readonly publisher: PagePublisher;
  private server?: PageServer;
  private template = '';
  private readonly conns = new Set<PageConnection>();
  private readonly sessionAudit = new Map<string, ActivityRecord>();
  private readonly emitter = new Emitter<{ changed: ShareAudience[] }>();
  private readonly lastState = new Map<string, boolean>();
  private readonly linkWaiters = new Map<string, (() => void)[]>();
  private readonly unsubs: (() => void)[] = [];
  private pushTimer?: ReturnType<typeof setTimeout>;
  /** Each share's live demo as last seen (`<session>|<node>`), to push pages only when it moves. */
  private broadcasts = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly deps: AudienceServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.registry = new AttendeeRegistry(new AudienceStore(deps.settings, deps.log), this.now, deps.log);
    this.limiter = new FailureLimiter(deps.failureLimits ?? DEFAULT_FAILURE_LIMITS, this.now);
    this.book = new PageSessions({ graceMs: deps.graceMs ?? GRACE_MS, changed: () => this.schedulePush() });
    this.publisher = new PagePublisher({
      providers: deps.providers,
      listenerPort: () => this.server?.port ?? 0,
      admit: (id, from, provider) => deps.shares.gate.admitPage(id, from, provider),
      changed: (id, info, port) => this.pageChanged(id, info, port),
      log: deps.log,
    });
  }

  /** After the shares started: attendees of shares that are gone are dropped, pages open. */
  async start(): Promise<void> {
    this.registry.load();
    const t = loadTemplate(this.deps.assetsDir);
    if (t.problem) this.deps.log.warn(`audience page: ${t.problem}; pages are served as plain HTML without their script`);
    this.template = t.html;
    this.server = new PageServer({ hooks: this.hooks(), limiter: this.limiter, assetsDir: t.built ? this.deps.assetsDir : undefined, template: this.template, log: this.deps.log });
    await this.server.start();
    this.unsubs.push(
      this.deps.shares.onChanged((s) => this.onShares(s)),
      this.deps.tunnels.onChanged(() => this.schedulePush()),
      this.deps.labs.onLabsChanged(() => this.schedulePush()),
    );
    if (this.deps.terminals) this.unsubs.push(this.deps.terminals.onChanged(() => this.onTerminals()));
    this.onShares(this.deps.shares.list());
  }

  list(): ShareAudience[] {
    return this.deps.shares.list().map((s) => this.audienceOf(s.id));
  }

  audience(shareId: string): ShareAudience {
    this.deps.shares.get(shareId);
    return this.audienceOf(shareId);
  }

  onChanged(listener: (a: ShareAudience[]) => void): () => void {
    return this.emitter.on('changed', listener);
  }

  async addAttendee(p: ParamsOut<'shares.addAttendee'>): Promise<IssuedLink> {
    const share = this.deps.shares.get(p.id);
    const { attendee, token } = this.registry.add(share.id, { name: p.name, anyone: p.anyone });
    this.deps.log.info(`share "${share.title}": added ${attendee.kind === 'anyone' ? 'an "anyone with the link" entry' : `attendee ${attendee.name}`}`, { share: share.id, attendee: attendee.id });
    this.onShares(this.deps.shares.list());
    return this.issued(share.id, attendee, token);
  }

  async reissueAttendee(p: ParamsOut<'shares.reissueAttendee'>): Promise<IssuedLink> {
    const share = this.deps.shares.get(p.id);
    const { attendee, token } = this.registry.reissue(share.id, p.attendeeId);
    this.endAttendee(share.id, attendee, 'A new link was issued for you: open that one.');
    this.deps.log.info(`share "${share.title}": new link for ${attendee.name}; the old one no longer opens anything`, { share: share.id, attendee: attendee.id });
    return this.issued(share.id, attendee, token);
  }

  revokeAttendee(p: ParamsOut<'shares.revokeAttendee'>): ShareAudience {
    const share = this.deps.shares.get(p.id);
    const { attendee, saveError } = this.registry.revoke(share.id, p.attendeeId);
    this.endAttendee(share.id, attendee, 'The organiser has revoked your link.');
    this.deps.log.warn(`share "${share.title}": revoked the link of ${attendee.name}; their page and terminals are closed`, { share: share.id, attendee: attendee.id });
    this.emitSoon();
    if (saveError) {
      const why = saveError instanceof AppError ? saveError.message.replace(/; nothing was changed$/, '') : String(saveError);
      throw new AppError('unavailable', `${attendee.name}'s link is revoked and their page closed, but the revoke is not saved (${why}): after a restart the link would open again`, 'free space in the data folder, then revoke again (or stop the share)');
    }
    return this.audienceOf(share.id);
  }

  removeAttendee(p: ParamsOut<'shares.removeAttendee'>): ShareAudience {
    const share = this.deps.shares.get(p.id);
    const attendee = this.registry.remove(share.id, p.attendeeId);
    this.endAttendee(share.id, attendee, 'The organiser has revoked your link.');
    this.deps.log.info(`share "${share.title}": removed attendee ${attendee.name}`, { share: share.id, attendee: attendee.id });
    this.onShares(this.deps.shares.list());
    return this.audienceOf(share.id);
  }

  setSettings(p: ParamsOut<'shares.setAudience'>): ShareAudience {
    const share = this.deps.shares.get(p.id);
    const before = this.registry.settings(share.id);
    const next = checkSettings(p, before, this.nodesOf(share));
    this.registry.setSettings(share.id, next);
    // A node whose terminal was turned off (or changed how it is reached) loses its sessions.
    const gone = before.terminals.filter((t) => !next.terminals.some((n) => n.node === t.node && n.via === t.via)).map((t) => t.node);
    for (const s of this.deps.terminals?.list() ?? []) if (s.shareId === share.id && s.attendeeId && gone.includes(s.node)) this.deps.terminals!.kill(s.id, `the organiser turned off the terminal to ${s.node}`);
    this.deps.log.info(`share "${share.title}": audience settings changed (terminals: ${next.terminals.map((t) => `${t.node} via ${t.via}`).join(', ') || 'none'})`, { share: share.id });
    this.schedulePush();
    return this.audienceOf(share.id);
  }

  async dispose(): Promise<void> {
    this.unsubs.forEach((u) => u());
    clearTimeout(this.pushTimer);
    for (const c of [...this.conns]) c.end('The app running this share is shutting down.');
    this.book.dispose();
    await this.publisher.dispose();
    await this.server?.close();
    this.registry.flush();
    this.emitter.clear();
  }

  /** The page listener's port on loopback (tests reach it only through a share's forward). */
  get listenerPort(): number {
    return this.server?.port ?? 0;
  }

  private hooks() {
    return {
      originOf: (port: number) => this.publisher.originOf(port),
      resolve: (shareId: string, token: string): Resolution => {
        const share = this.shareOrUndefined(shareId);
        if (!share) return { kind: 'unknown' };
        return this.registry.resolve(shareId, token, endedWhy(share));
      },
      render: (shareId: string, attendeeId: string, selfLink: string) => {
        const a = this.registry.get(shareId, attendeeId);
        const page = a && this.pageFor(shareId, a);
        return page && attendeePage(this.template, page, selfLink, a.kind === 'anyone');
      },
      linkOf: (shareId: string) => this.shareOrUndefined(shareId)?.link,
      connect: (ws: WebSocket, who: { shareId: string; attendeeId: string; origin: PageOrigin }) => this.connect(ws, who),
      refused: (origin: PageOrigin, reason: string) => {
        this.deps.shares.auditOf(origin.shareId)?.refusedActivity({ kind: 'page', node: '', port: 0, peer: { address: origin.address, port: 0 } }, reason);
        this.deps.log.warn(`audience page: ${reason}, from ${origin.from}`, { share: origin.shareId, from: origin.from, refused: true });
      },
    };
  }

  private connect(ws: WebSocket, who: { shareId: string; attendeeId: string; origin: PageOrigin }): void {
    const attendee = this.registry.get(who.shareId, who.attendeeId);
    if (!attendee) return void ws.close();
    // One person has a few tabs; a room shares one link. Past that, a link is being abused.
    const cap = attendee.kind === 'anyone' ? MAX_PAGES_ANYONE : MAX_PAGES_NAMED;
    if (this.book.count(who.shareId, attendee.id).pages >= cap) {
      this.deps.log.warn(`audience page refused for ${attendee.name} from ${who.origin.from}: already ${cap} pages open with this link`, { share: who.shareId, attendee: attendee.id, refused: true });
      return void ws.close(CLOSE_TOO_MANY, `already ${cap} pages open with this link: close one`);
    }
    const settings = () => this.registry.settings(who.shareId);
    const conn = new PageConnection(ws, {
      shareId: who.shareId,
      attendee,
      origin: who.origin,
      book: this.book,
      terminals: this.deps.terminals,
      page: () => this.pageFor(who.shareId, attendee),
      request: (node, cols, rows) => {
        const share = this.deps.shares.get(who.shareId);
        return terminalRequest({ card: this.deps.shares.card(share.id), host: share.host, settings: settings(), attendee, node, cols, rows, login: () => this.deps.shareLogin(share.id, { host: share.host, lab: share.lab, node }) });
      },
      audit: () => this.deps.shares.auditOf(who.shareId),
      sessionAudit: this.sessionAudit,
      maxPerPage: attendee.kind === 'anyone' ? settings().maxSessions : undefined,
      log: this.deps.log,
      closed: (c) => {
        this.conns.delete(c);
        this.registry.seen(who.shareId, attendee.id);
        this.emitSoon();
      },
    });
    this.conns.add(conn);
    this.registry.seen(who.shareId, attendee.id);
    this.deps.log.info(`audience page opened by ${attendee.name} from ${who.origin.from}`, { share: who.shareId, attendee: attendee.id });
    this.emitSoon();
  }

  /** Ends an attendee's pages now and asks the terminal service to end their sessions. */
  private endAttendee(shareId: string, a: StoredAttendee, reason: string): void {
    this.book.endPages(shareId, a.id, reason);
    this.deps.terminals?.killWhere({ shareId, attendeeId: a.id }, `${a.name}'s link was revoked`);
  }

  private onShares(shares: Share[]): void {
    const ids = new Set(shares.map((s) => s.id));
    for (const id of this.registry.shareIds()) {
      if (ids.has(id)) continue;
      this.book.endPages(id, undefined, 'The organiser has removed this share.');
      this.deps.terminals?.killWhere({ shareId: id }, 'the share was removed');
      this.registry.dropShare(id);
      this.publisher.want(id, undefined);
      this.lastState.delete(id);
    }
    for (const s of shares) {
      const ended = isShareEnded(s.state);
      if (ended && this.lastState.get(s.id) === false) {
        const why = endedWhy(s)!;
        this.book.endPages(s.id, undefined, why);
        this.deps.terminals?.killWhere({ shareId: s.id }, `the share ${s.state === 'revoked' ? 'was stopped' : 'expired'}`);
      }
      this.lastState.set(s.id, ended);
      // The page stays up while the share has attendees, ended or not: a link that no longer
      // opens anything still gets a page that says so.
      const wanted = this.registry.attendees(s.id).length > 0;
      this.publisher.want(s.id, wanted ? { ...this.deps.shares.pageRoute(s.id), lab: s.lab, preferredPort: this.registry.pagePort(s.id) } : undefined);
    }
    this.schedulePush();
  }

  /**
   * The terminal service changes on every open, end and byte count: pages only need a new
   * state when a share's live demo starts, stops or moves (not once a second per typist).
   */
  private onTerminals(): void {
    for (const c of this.conns) c.broadcastChanged();
    const now = new Map<string, string>();
    for (const s of this.deps.terminals?.list() ?? []) if (s.broadcast && s.broadcastTo) now.set(s.broadcastTo, `${s.id}|${s.node}`);
    const moved = now.size !== this.broadcasts.size || [...now].some(([k, v]) => this.broadcasts.get(k) !== v);
    this.broadcasts = now;
    if (moved) this.schedulePush();
  }

  private pageChanged(shareId: string, info: AudiencePageInfo, chosenPort?: number): void {
    if (chosenPort) this.registry.setPagePort(shareId, chosenPort);
    // Outside the share service's own change handling (this can run inside it).
    queueMicrotask(() => {
      if (info.state === 'online' || info.state === 'off') {
        try {
          this.deps.shares.setLink(shareId, info.link);
        } catch (err) {
          // The share was removed meanwhile (nothing to say), or its save failed (a full disk).
          if (!(err instanceof AppError && err.code === 'not_found')) this.deps.log.warn(`could not record the page's address on share ${shareId}: ${(err as Error).message}`, { share: shareId });
        }
      }
      if (info.state === 'online') for (const w of this.linkWaiters.get(shareId)?.splice(0) ?? []) w();
      this.emitSoon();
    });
  }

  private async issued(shareId: string, a: StoredAttendee, token: string): Promise<IssuedLink> {
    if (this.publisher.info(shareId).state !== 'online') {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, LINK_WAIT_MS);
        const list = this.linkWaiters.get(shareId) ?? [];
        list.push(() => (clearTimeout(t), resolve()));
        this.linkWaiters.set(shareId, list);
      });
    }
    const info = this.publisher.info(shareId);
    const path = pagePath(token);
    this.emitSoon();
    return { attendee: this.attendeeOf(shareId, a), path, link: info.link ? `${info.link}${path}` : undefined };
  }

  private audienceOf(shareId: string): ShareAudience {
    return { shareId, settings: this.registry.settings(shareId), attendees: this.registry.attendees(shareId).map((a) => this.attendeeOf(shareId, a)), page: this.publisher.info(shareId) };
  }

  private attendeeOf(shareId: string, a: StoredAttendee): Attendee {
    const counts = this.book.count(shareId, a.id);
    const out: Attendee = { id: a.id, shareId, name: a.name, kind: a.kind, createdAt: a.createdAt, issuedAt: a.issuedAt, ...counts, state: 'never-opened' };
    for (const k of ['revokedAt', 'firstSeenAt', 'lastSeenAt'] as const) if (a[k] !== undefined) out[k] = a[k];
    out.state = attendeeState(out);
    return out;
  }

  private pageFor(shareId: string, a: StoredAttendee): AudiencePage | undefined {
    const share = this.shareOrUndefined(shareId);
    if (!share) return undefined;
    const b = this.broadcastInfo(shareId);
    return pageStateOf({
      card: this.deps.shares.card(shareId),
      attendee: a.name,
      settings: this.registry.settings(shareId),
      nodeInfo: (node) => {
        const n = this.deps.labs.findNode(share.host, share.lab, node);
        return { kind: n?.kind, running: n ? n.state === 'running' : undefined };
      },
      watch: b && { node: b.node, since: b.startedAt },
      now: this.now(),
    });
  }

  /** The owner's session a share broadcasts (watch mode), if any. */
  private broadcastInfo(shareId: string): { id: string; node: string; startedAt: number } | undefined {
    const view = this.deps.terminals?.broadcastOf(shareId);
    if (!view) return undefined;
    const { node, startedAt } = view.info();
    return { id: view.id, node, startedAt };
  }

  private nodesOf(share: Share): string[] {
    const lab = this.deps.labs.labs().find((l) => l.host === share.host && l.name === share.lab);
    return [...new Set([...(lab?.nodes.map((n) => n.name) ?? []), ...share.ports.map((p) => p.node)])];
  }

  private shareOrUndefined(id: string): Share | undefined {
    try {
      return this.deps.shares.get(id);
    } catch {
      return undefined;
    }
  }

  private schedulePush(): void {
    this.pushTimer ??= setTimeout(() => {
      this.pushTimer = undefined;
      for (const c of this.conns) c.pushPage();
      this.emitter.emit('changed', this.list());
    }, PUSH_MS);
  }

  private emitSoon(): void {
    this.schedulePush();
  }
}

/** What a page says once its share has ended; undefined while it is open. */
function endedWhy(s: Share): string | undefined {
  if (s.state === 'revoked') return `The organiser stopped sharing this lab ${formatWhen(s.revokedAt!)}.`;
  if (s.state === 'expired') return `This share expired ${formatWhen(s.expiredAt ?? s.expiresAt!)}.`;
  return undefined;
}
