/**
 * An in-memory stand-in for the terminal service (`Terminals`), for the audience layer's unit
 * and integration tests until the real service is wired: each session echoes what is typed
 * as `<node>$ <input>`, keeps a bounded backlog, enforces `maxPerAttendee`, and broadcasts
 * like the real one (output only).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestSshd } from '../../../test-support/sshd';
import type { Share } from '../../../shared/share-model';
import { createShareLogins } from '../shares/share-login';
import { startShareCore, type ShareCore } from '../shares/share-test-helpers';
import { AudienceService } from './audience-service';
import type { TerminalRecordingInfo, TerminalSessionInfo } from '../../../shared/terminal-model';
import { AppError } from '../../../shared/rpc-errors';
import type { BroadcastView, OpenTerminal, TerminalSession, Terminals } from '../terminals/terminal-types';
import { Emitter } from '../util/emitter';

export class FakeSession implements TerminalSession {
  readonly id = randomUUID();
  readonly opened: OpenTerminal;
  readonly writes: string[] = [];
  size: { cols: number; rows: number };
  closedWith?: string;
  private buf = Buffer.alloc(0);
  private readonly events = new Emitter<{ data: Buffer; exit: string }>();
  private bytesIn = 0;
  private bytesOut = 0;
  broadcastTo?: string;
  spectators = 0;

  constructor(
    req: OpenTerminal,
    private readonly gone: (s: FakeSession) => void,
  ) {
    this.opened = req;
    this.size = { cols: req.cols, rows: req.rows };
  }

  info(): TerminalSessionInfo {
    const t = this.opened.target;
    return {
      id: this.id,
      shareId: this.opened.shareId,
      attendeeId: this.opened.attendeeId,
      attendeeName: this.opened.attendeeName,
      host: t.host,
      lab: t.lab,
      node: t.node,
      via: t.via,
      cols: this.size.cols,
      rows: this.size.rows,
      startedAt: 0,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      lastActivityAt: 0,
      broadcast: this.broadcastTo !== undefined,
      ...(this.broadcastTo !== undefined ? { broadcastTo: this.broadcastTo } : {}),
      spectators: this.spectators,
    };
  }

  /** Output from the node, as the real service would deliver it. */
  print(text: string | Buffer): void {
    const b = Buffer.isBuffer(text) ? text : Buffer.from(text);
    this.bytesOut += b.length;
    this.buf = Buffer.concat([this.buf, b]).subarray(-64 * 1024);
    this.events.emit('data', b);
  }

  backlog(): Buffer {
    return this.buf;
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.events.on('data', listener);
  }

  onExit(listener: (reason: string) => void): () => void {
    return this.events.on('exit', listener);
  }

  write(data: Buffer | string): void {
    if (this.closedWith) return;
    const s = data.toString();
    this.bytesIn += Buffer.byteLength(s);
    this.writes.push(s);
    this.print(`${this.opened.target.node}$ ${s}`);
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
  }

  close(reason: string): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    this.events.emit('exit', reason);
    this.gone(this);
  }
}

export class FakeTerminals implements Terminals {
  readonly sessions = new Map<string, FakeSession>();
  /** Every request, refused or not, in order. */
  readonly requests: OpenTerminal[] = [];
  private readonly emitter = new Emitter<{ changed: TerminalSessionInfo[] }>();

  async open(req: OpenTerminal): Promise<TerminalSession> {
    this.requests.push(req);
    const mine = [...this.sessions.values()].filter((s) => s.opened.attendeeId === req.attendeeId && s.opened.shareId === req.shareId);
    if (req.maxPerAttendee !== undefined && req.attendeeId && mine.length >= req.maxPerAttendee) {
      throw new AppError('rate_limited', `at most ${req.maxPerAttendee} terminal session(s) at once`, 'close one first');
    }
    const s = new FakeSession(req, (x) => {
      this.sessions.delete(x.id);
      this.changed();
    });
    this.sessions.set(s.id, s);
    this.changed();
    return s;
  }

  get(id: string): TerminalSession | undefined {
    return this.sessions.get(id);
  }

  list(): TerminalSessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info());
  }

  kill(id: string, reason: string): boolean {
    const s = this.sessions.get(id);
    s?.close(reason);
    return !!s;
  }

  killWhere(filter: { shareId?: string; attendeeId?: string }, reason: string): number {
    const hit = [...this.sessions.values()].filter((s) => (filter.shareId === undefined || s.opened.shareId === filter.shareId) && (filter.attendeeId === undefined || s.opened.attendeeId === filter.attendeeId));
    hit.forEach((s) => s.close(reason));
    return hit.length;
  }

  setBroadcast(id: string, shareId: string | undefined): void {
    const s = this.sessions.get(id);
    if (!s) throw new AppError('not_found', `no terminal session ${id}`);
    s.broadcastTo = shareId;
    this.changed();
  }

  broadcastOf(shareId: string): BroadcastView | undefined {
    return [...this.sessions.values()].find((s) => s.broadcastTo === shareId);
  }

  spectate(id: string, delta: 1 | -1): void {
    const s = this.sessions.get(id);
    if (s) s.spectators += delta;
    this.changed();
  }

  recordings(): TerminalRecordingInfo[] {
    return [];
  }

  async readRecording(): Promise<string> {
    throw new AppError('not_found', 'no recordings in the stand-in');
  }

  onChanged(listener: (sessions: TerminalSessionInfo[]) => void): () => void {
    return this.emitter.on('changed', listener);
  }

  /** The owner's own terminal (no share, no attendee), e.g. to broadcast. */
  ownerSession(node: string): Promise<TerminalSession> {
    return this.open({ target: { host: 'local', lab: 'lab1', node, via: 'engine' }, cols: 80, rows: 24 });
  }

  private changed(): void {
    this.emitter.emit('changed', this.list());
  }
}

// ---------------------------------------------------------------------------------------------
// A share core with the audience layer on top (the stand-in terminals), and one shared lab.


export interface AudienceCore {
  core: ShareCore;
  audience: AudienceService;
  terminals: FakeTerminals;
  share: Share;
  /** A built page stand-in: index.html with the slot and one script. */
  assetsDir: string;
  dispose(): Promise<void>;
}

export async function startAudienceCore(o: { relay?: TestSshd; relayBind?: string; provider?: string; graceMs?: number } = {}): Promise<AudienceCore> {
  const core = await startShareCore({ relay: o.relay, relayBind: o.relayBind });
  const assetsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audience-assets-'));
  fs.mkdirSync(path.join(assetsDir, 'assets'));
  fs.writeFileSync(path.join(assetsDir, 'index.html'), '<!doctype html><html><head><title>Shared lab</title><script type="module" src="/assets/app-1.js"></script></head><body><main id="page"><!--audience-page--></main></body></html>');
  fs.writeFileSync(path.join(assetsDir, 'assets', 'app-1.js'), 'console.log("page script")\n');
  const terminals = new FakeTerminals();
  const audience = new AudienceService({
    shareLogin: createShareLogins({ shares: core.shares, secrets: core.secrets, labs: core.labs }),
    shares: core.shares,
    labs: core.labs,
    providers: core.providers,
    tunnels: core.reconciler,
    terminals,
    settings: core.settings,
    log: core.logs.logger('audience'),
    assetsDir,
    now: core.clock.now,
    graceMs: o.graceMs,
  });
  await audience.start();
  const provider = o.provider ?? 'local';
  const pub = core.publications.add({ host: 'local', lab: 'lab1', node: 'r2', port: core.echo.port, type: 'ssh', provider, access: [] }).id;
  await core.tunnel(pub, 'online', (t) => t.state === 'online');
  const share = core.shares.create({ host: 'local', lab: 'lab1', title: 'Routing class', until: '1h', allow: [], includeCredentials: false });
  return {
    core,
    audience,
    terminals,
    share,
    assetsDir,
    dispose: async () => {
      await audience.dispose();
      await core.dispose();
      fs.rmSync(assetsDir, { recursive: true, force: true });
    },
  };
}
