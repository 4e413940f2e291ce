import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ParamsOut } from '../../../shared/contract';
import type { Tunnel } from '../../../shared/model';
import { AppError } from '../../../shared/rpc-errors';
import { buildShareCard } from '../../../shared/share-card';
import type { ShareCard } from '../../../shared/share-card-model';
import { AUDIT_LIMIT_DEFAULT, EXPIRING_WINDOW_MS, isShareEnded, shareStateAt, type Share, type ShareAudit, type ShareState } from '../../../shared/share-model';
import { formatWhen } from '../../../shared/share-time';
import type { LabsService } from '../labs/labs-service';
import type { Logger } from '../logs/logger';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { PublicationService } from '../publications/publication-service';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { Emitter } from '../util/emitter';
import { AllowList } from './allow-list';
import { AuditFile } from './audit-file';
import { ExpiryScheduler, realClock, type SchedulerClock } from './expiry-scheduler';
import { cardInputOf } from './share-card-source';
import { ShareAuditLog } from './share-audit-log';
import { ShareGate } from './share-gate';
import { checkNotShared, expiryFrom, resolvePorts } from './share-input';
import { ShareStore, type StoredShare } from './share-store';
import { syncEndpoints } from './share-endpoints';

/** Audit changes are announced at most this often (a burst of connections is one event). */
const AUDIT_EMIT_MS = 250;

export interface ShareServiceDeps {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  publications: PublicationService;
  labs: LabsService;
  providers: ProviderRegistry;
  /** The running tunnels (the reconciler, built after this service). */
  tunnels: { list(): Tunnel[]; onChanged(l: (t: Tunnel[]) => void): () => void };
  log: Logger;
  clock?: SchedulerClock;
}

export const secretName = (shareId: string, node: string) => `share:${shareId}:${node}:password`;

/**
 * Shares: created, changed, extended, stopped and removed by the owner; expired by the clock.
 * Keeps them in settings, the audit on disk, and tells the tunnels (through the gate) which
 * ports stay closed and who may connect.
 */
export class ShareService {
  readonly gate: ShareGate;
  private shares: StoredShare[] = [];
  private readonly audits = new Map<string, ShareAuditLog>();
  private readonly last = new Map<string, ShareState>();
  private readonly store: ShareStore;
  private readonly clock: SchedulerClock;
  private readonly scheduler: ExpiryScheduler;
  private readonly emitter = new Emitter<{ changed: Share[]; audit: { revisions: Record<string, number> } }>();
  /** Per share, bumped on every audit change: what `shares.auditChanged` carries. */
  private readonly auditRevs = new Map<string, number>();
  private auditTimer?: NodeJS.Timeout;
  private liveTimer?: NodeJS.Timeout;
  private unsub?: () => void;

  constructor(private readonly deps: ShareServiceDeps) {
    this.clock = deps.clock ?? realClock;
    this.store = new ShareStore(deps.settings, deps.log);
    this.gate = new ShareGate({ audit: (id) => this.audits.get(id), enforcesSources: (id) => this.providerKind(id) !== 'border0', now: () => this.clock.now() });
    this.scheduler = new ExpiryScheduler(this.clock, () => this.nextTransition(), () => this.tick());
  }

  /** Before the reconciler starts: a share that ended while the app was down keeps its ports closed from the first moment. */
  async start(): Promise<void> {
    this.shares = this.store.load();
    const now = this.clock.now();
    for (const s of this.shares) {
      if (s.expiresAt !== undefined && s.expiresAt <= now && s.expiredAt === undefined && s.revokedAt === undefined) {
        s.expiredAt = s.expiresAt;
        this.deps.log.warn(`share "${s.title}" (lab ${s.lab}) expired ${formatWhen(s.expiresAt)} while the app was not running: its ${s.ports.length} port(s) stay closed until it is extended`, { share: s.id });
      }
      this.last.set(s.id, shareStateAt(s, now));
    }
    if (this.shares.length) this.deps.log.info(`restored ${this.shares.length} share(s) from settings`);
    await Promise.all(this.shares.map((s) => this.openAudit(s).load().catch((err: Error) => this.deps.log.error(`cannot read the audit of share "${s.title}": ${err.message}`))));
    this.persist();
    this.gate.update(this.shares);
    this.unsub = this.deps.tunnels.onChanged((t) => this.onTunnels(t));
    this.scheduler.arm();
  }

  list(): Share[] {
    const now = this.clock.now();
    return this.shares.map((s) => ({ ...structuredClone(s), state: shareStateAt(s, now) }));
  }

  get(id: string): Share {
    const s = this.find(id);
    return { ...structuredClone(s), state: shareStateAt(s, this.clock.now()) };
  }

  onChanged(listener: (shares: Share[]) => void): () => void {
    return this.emitter.on('changed', listener);
  }

  onAuditChanged(listener: (p: { revisions: Record<string, number> }) => void): () => void {
    return this.emitter.on('audit', listener);
  }

  create(p: ParamsOut<'shares.create'>): Share {
    const now = this.clock.now();
    const lab = this.deps.labs.labs().find((l) => l.host === p.host && l.name === p.lab);
    const pubs = this.deps.publications.list();
    if (!lab && !pubs.some((x) => x.host === p.host && x.lab === p.lab)) {
      const known = [...new Set(this.deps.labs.labs().filter((l) => l.host === p.host).map((l) => l.name))];
      throw new AppError('not_found', `there is no lab "${p.lab}" on ${p.host}`, known.length ? `labs there: ${known.join(', ')}` : 'deploy the lab first; it shows up as soon as its containers run', 'lab');
    }
    const expiresAt = expiryFrom(p.until, now);
    this.gateCheck(p.allow, 'allow');
    const { ports } = resolvePorts({ host: p.host, lab: p.lab, wishes: p.ports, publications: pubs, kindOf: (n) => lab?.nodes.find((x) => x.name === n)?.kind, providerKind: (id) => this.providerKind(id) });
    checkNotShared({ host: p.host, lab: p.lab, ports, shares: this.shares });
    const share: StoredShare = {
      id: randomUUID(),
      host: p.host,
      lab: p.lab,
      title: p.title ?? `${p.lab} lab`,
      ports,
      createdAt: now,
      expiresAt,
      allow: [...p.allow],
      includeCredentials: p.includeCredentials,
      credentials: [],
      auditLimit: p.auditLimit ?? AUDIT_LIMIT_DEFAULT,
    };
    this.shares = [...this.shares, share];
    this.openAudit(share);
    this.last.set(share.id, shareStateAt(share, now));
    this.deps.log.info(`shared lab ${p.lab} as "${share.title}": ${ports.length} port(s), ${expiresAt ? `until ${formatWhen(expiresAt)}` : 'until stopped'}, ${share.allow.length ? `from ${share.allow.length} allowed source rule(s)` : 'from any address'}`, { share: share.id });
    this.changed();
    return this.get(share.id);
  }

  update(p: ParamsOut<'shares.update'>): Share {
    const s = this.find(p.id);
    if (p.allow) this.gateCheck(p.allow, 'allow');
    const lab = this.deps.labs.labs().find((l) => l.host === s.host && l.name === s.lab);
    const ports = p.ports
      ? resolvePorts({ host: s.host, lab: s.lab, wishes: p.ports, publications: this.deps.publications.list(), kindOf: (n) => lab?.nodes.find((x) => x.name === n)?.kind, previous: s.ports, providerKind: (id) => this.providerKind(id) }).ports
      : s.ports;
    if (p.ports) checkNotShared({ host: s.host, lab: s.lab, ports, shares: this.shares, except: s.id });
    const next: StoredShare = { ...s, ports, title: p.title ?? s.title, allow: p.allow ?? s.allow, includeCredentials: p.includeCredentials ?? s.includeCredentials, auditLimit: p.auditLimit ?? s.auditLimit };
    this.replace(next);
    if (p.auditLimit) this.audits.get(s.id)?.setLimit(p.auditLimit);
    this.deps.log.info(`share "${next.title}" changed`, { share: s.id });
    this.changed();
    this.cutNoLongerAllowed(next);
    return this.get(s.id);
  }

  /** A new end (or none); an expired or stopped share opens again. */
  extend(id: string, until: ParamsOut<'shares.extend'>['until']): Share {
    const s = this.find(id);
    const now = this.clock.now();
    const expiresAt = expiryFrom(until, now);
    const wasEnded = isShareEnded(shareStateAt(s, now));
    this.replace({ ...s, expiresAt, expiredAt: undefined, revokedAt: undefined });
    this.last.set(id, shareStateAt({ expiresAt }, now));
    this.deps.log.info(`share "${s.title}" ${wasEnded ? 'reopened' : 'extended'}: ${expiresAt ? `until ${formatWhen(expiresAt)}` : 'until stopped'}`, { share: id });
    this.changed();
    return this.get(id);
  }

  /** Stop sharing: the gate holds every port closed; the reconciler closes them and their connections. */
  revoke(id: string): Share {
    const s = this.find(id);
    if (s.revokedAt !== undefined) return this.get(id);
    this.replace({ ...s, revokedAt: this.clock.now() });
    this.last.set(id, 'revoked');
    this.deps.log.warn(`stopped sharing "${s.title}" (lab ${s.lab}): its ${s.ports.length} port(s) are closed and open connections cut`, { share: id });
    this.changed();
    this.audits.get(id)?.cut();
    return this.get(id);
  }

  async remove(id: string, unpublish: boolean): Promise<void> {
    const s = this.find(id);
    this.shares = this.shares.filter((x) => x.id !== id);
    this.last.delete(id);
    this.auditRevs.delete(id);
    for (const c of s.credentials) if (c.hasPassword) this.deps.secrets.delete(secretName(id, c.node));
    const audit = this.audits.get(id);
    this.audits.delete(id);
    let gone = 0;
    if (unpublish) {
      const ids = this.deps.publications.list().filter((p) => p.host === s.host && p.lab === s.lab && p.origin === 'ui' && s.ports.some((q) => q.node === p.node && q.port === p.port)).map((p) => p.id);
      gone = ids.length;
      this.deps.publications.removeMany(ids, `share "${s.title}" was removed`);
    }
    this.deps.log.info(`removed share "${s.title}"${unpublish ? `; ${gone} port(s) published in the UI were unpublished, those from the topology file follow the file again` : '; its ports are plain publications again'}`, { share: id });
    this.changed();
    await audit?.remove();
  }

  setCredentials(p: ParamsOut<'shares.setCredentials'>): Share {
    const s = this.find(p.id);
    if (!s.ports.some((x) => x.node === p.node)) {
      throw new AppError('invalid_params', `node ${p.node} has no port in share "${s.title}"`, `nodes in it: ${[...new Set(s.ports.map((x) => x.node))].join(', ')}`, 'node');
    }
    const before = s.credentials.find((c) => c.node === p.node);
    let hasPassword = before?.hasPassword ?? false;
    if (p.password === null) {
      this.deps.secrets.delete(secretName(s.id, p.node));
      hasPassword = false;
    } else if (p.password !== undefined) {
      this.deps.secrets.set(secretName(s.id, p.node), p.password);
      hasPassword = true;
    }
    this.replace({ ...s, credentials: [...s.credentials.filter((c) => c.node !== p.node), { node: p.node, user: p.user, hasPassword }] });
    this.deps.log.info(`share "${s.title}": node ${p.node} logs in as ${p.user}${hasPassword ? ' (password stored encrypted)' : ''}`, { share: s.id });
    this.changed();
    return this.get(s.id);
  }

  card(id: string): ShareCard {
    const s = this.find(id);
    const lab = this.deps.labs.labs().find((l) => l.host === s.host && l.name === s.lab);
    return buildShareCard(
      cardInputOf(s, {
        publications: this.deps.publications.list(),
        tunnels: this.deps.tunnels.list(),
        kindOf: (n) => lab?.nodes.find((x) => x.name === n)?.kind,
        password: (node) => this.deps.secrets.get(secretName(s.id, node)),
        providerKind: (pid) => this.providerKind(pid),
        now: this.clock.now(),
      }),
      this.clock.now(),
    );
  }

  /** The audience page's address (no secret in it): shown on the card and in the owner's view. */
  setLink(id: string, link: string | undefined): void {
    const s = this.find(id);
    if (s.link === link) return;
    this.replace({ ...s, link });
    this.changed();
  }

  /**
   * The publication the share's audience page rides along with: the page goes out through
   * the same provider (and, for border0, the same identity list) as the share's ports.
   */
  pageRoute(id: string): { provider: string; access: string[]; accessKind?: 'emails-domains' | 'policies' } {
    const s = this.find(id);
    const pubs = this.deps.publications.list().filter((p) => p.host === s.host && p.lab === s.lab && s.ports.some((q) => q.node === p.node && q.port === p.port));
    const pub = pubs[0];
    return pub ? { provider: pub.provider, access: pub.access, accessKind: pub.accessKind } : { provider: 'local', access: [] };
  }

  /** Where the audience layer records what attendees do (the share's own audit). */
  auditOf(id: string): ShareAuditLog | undefined {
    return this.audits.get(id);
  }

  audit(id: string, limit?: number): ShareAudit {
    this.find(id);
    return this.audits.get(id)?.snapshot(limit) ?? { shareId: id, records: [], sources: [], dropped: 0 };
  }

  async dispose(): Promise<void> {
    this.scheduler.dispose();
    this.unsub?.();
    clearTimeout(this.auditTimer);
    clearInterval(this.liveTimer);
    await Promise.all([...this.audits.values()].map((a) => a.flush()));
    this.gate.dispose();
    this.emitter.clear();
  }

  private find(id: string): StoredShare {
    const s = this.shares.find((x) => x.id === id);
    if (!s) throw new AppError('not_found', `no share with id ${id}`, 'shares.list shows the current ones', 'id');
    return s;
  }

  private replace(next: StoredShare): void {
    this.shares = this.shares.map((x) => (x.id === next.id ? next : x));
  }

  /** Compiles the rules (refusing a bad one with its index) without keeping them. */
  private gateCheck(rules: string[], field: string): void {
    void new AllowList(rules, field);
  }

  private providerKind(id: string): string {
    try {
      return this.deps.providers.get(id).info().kind;
    } catch {
      return 'unknown';
    }
  }

  private openAudit(s: StoredShare): ShareAuditLog {
    const file = new AuditFile(path.join(this.deps.dataDir, 'shares', `${s.id}.audit.jsonl`), this.deps.log);
    const a = new ShareAuditLog(s.id, s.auditLimit, file, () => this.auditChanged(s.id), () => this.clock.now());
    this.audits.set(s.id, a);
    return a;
  }

  /** Save, rebuild the gate (the reconciler follows at once), re-arm the clock, tell the UI. */
  private changed(): void {
    this.shares = syncEndpoints(this.shares, this.deps.publications.list(), this.deps.tunnels.list());
    this.persist();
    this.gate.update(this.shares);
    this.scheduler.arm();
    this.emitter.emit('changed', this.list());
  }

  private persist(): void {
    this.store.save(this.shares);
  }

  private nextTransition(): number | undefined {
    let next: number | undefined;
    for (const s of this.shares) {
      if (s.expiresAt === undefined || s.revokedAt !== undefined || s.expiredAt !== undefined) continue;
      const now = this.clock.now();
      const at = now < s.expiresAt - EXPIRING_WINDOW_MS ? s.expiresAt - EXPIRING_WINDOW_MS : s.expiresAt;
      next = next === undefined ? at : Math.min(next, at);
    }
    return next;
  }

  /** The clock moved: act on every share whose state changed (10 minutes left, expired). */
  private tick(): void {
    const now = this.clock.now();
    let any = false;
    for (const s of this.shares) {
      const state = shareStateAt(s, now);
      if (state === this.last.get(s.id)) continue;
      this.last.set(s.id, state);
      any = true;
      if (state === 'expiring') {
        this.deps.log.warn(`share "${s.title}" expires in ${Math.round((s.expiresAt! - now) / 60_000)} min (${formatWhen(s.expiresAt!)}); extend it to keep it open`, { share: s.id });
      } else if (state === 'expired') {
        this.replace({ ...s, expiredAt: s.expiresAt });
        this.deps.log.warn(`share "${s.title}" expired ${formatWhen(s.expiresAt!)}: closing its ${s.ports.length} port(s) and cutting open connections`, { share: s.id });
      }
    }
    if (!any) return;
    this.changed();
    for (const s of this.shares) if (shareStateAt(s, now) === 'expired') this.audits.get(s.id)?.cut();
  }

  private onTunnels(tunnels: Tunnel[]): void {
    const next = syncEndpoints(this.shares, this.deps.publications.list(), tunnels);
    if (next === this.shares) return;
    this.shares = next;
    this.persist();
    this.gate.update(this.shares);
  }

  /** After its rules changed, connections from sources the share no longer allows are cut. */
  private cutNoLongerAllowed(s: StoredShare): void {
    const pubs = this.deps.publications.list();
    const n = this.audits.get(s.id)?.cut((r) => {
      const pub = pubs.find((p) => p.host === s.host && p.lab === s.lab && p.node === r.node && p.port === r.port);
      return !!pub && this.providerKind(pub.provider) !== 'border0' && !this.gate.stillAdmits(s.id, r.node, r.port, r.source);
    });
    if (n) this.deps.log.warn(`share "${s.title}": cut ${n} connection(s) from sources its rules no longer allow`, { share: s.id });
  }

  private auditChanged(id: string): void {
    this.bump(id);
    this.auditTimer ??= setTimeout(() => {
      this.auditTimer = undefined;
      this.emitAudit();
    }, AUDIT_EMIT_MS);
    this.liveTicker();
  }

  private bump(id: string): void {
    this.auditRevs.set(id, (this.auditRevs.get(id) ?? 0) + 1);
  }

  private emitAudit(): void {
    const revisions: Record<string, number> = {};
    for (const s of this.shares) revisions[s.id] = this.auditRevs.get(s.id) ?? 0;
    this.emitter.emit('audit', { revisions });
  }

  /** While connections are open their bytes move: the share view refreshes once a second. */
  private liveTicker(): void {
    if (this.liveTimer) return;
    this.liveTimer = setInterval(() => {
      const open = [...this.audits.values()].filter((a) => a.openCount > 0).map((a) => a.shareId);
      if (!open.length) {
        clearInterval(this.liveTimer);
        this.liveTimer = undefined;
        return;
      }
      open.forEach((id) => this.bump(id));
      this.emitAudit();
    }, 1000);
    this.liveTimer.unref?.();
  }
}
