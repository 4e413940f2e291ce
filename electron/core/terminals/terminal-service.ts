import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { LabNode } from '../../../shared/model';
import { AppError } from '../../../shared/rpc-errors';
import type { TerminalRecordingInfo, TerminalSessionInfo } from '../../../shared/terminal-model';
import type { LabsService } from '../labs/labs-service';
import type { Logger } from '../logs/logger';
import type { SettingsStore } from '../settings/settings-store';
import { Emitter } from '../util/emitter';
import { openEngineShell } from './engine-shell';
import { NodeHostKeys } from './node-host-keys';
import { RecordingStore, type RecordingLimits } from './recording/recording-store';
import { clampSize, type ShellChannel } from './shell-channel';
import { openSshShell } from './ssh-shell';
import { LiveSession } from './terminal-session';
import type { BroadcastView, OpenTerminal, Terminals, TerminalSession, TerminalTarget } from './terminal-types';

export interface TerminalLimits {
  /** Recent output kept per session for a viewer who (re)attaches. */
  backlogBytes: number;
  /** Sessions open at once, whoever opened them. */
  maxSessions: number;
  dialTimeoutMs: number;
  /** For the node's SSH handshake and login. */
  readyTimeoutMs: number;
  /** How often byte counters alone are announced (structural changes go out at once). */
  countersEveryMs: number;
}

export const DEFAULT_TERMINAL_LIMITS: TerminalLimits = { backlogBytes: 256 * 1024, maxSessions: 200, dialTimeoutMs: 5000, readyTimeoutMs: 10_000, countersEveryMs: 1000 };

export interface TerminalServiceDeps {
  labs: Pick<LabsService, 'findNode' | 'dialerFor' | 'dockerFor'>;
  settings: SettingsStore;
  dataDir: string;
  log: Logger;
  limits?: Partial<TerminalLimits>;
  recordingLimits?: Partial<RecordingLimits>;
  /** Reaches the shell; SSH or the engine as the target says unless a test stands in. */
  openShell?: (target: TerminalTarget, node: LabNode, size: { cols: number; rows: number }) => Promise<ShellChannel>;
}

/** An open in progress, so that a revoke arriving meanwhile still ends it. */
interface Pending {
  shareId?: string;
  attendeeId?: string;
  cancelled?: string;
}

/**
 * Every terminal session to a lab node, whoever opened it: the audience's browser terminals
 * and the owner's own. Reaches the node's shell over SSH (through the lab host's dialer, host
 * key recorded on first use per node) or through the container engine (the lab host's Docker,
 * local or over SSH). Decides nothing about who may open what: the caller passes its policy
 * (per-attendee limit, idle timeout, recording) in `OpenTerminal`.
 */
export class TerminalService implements Terminals {
  private readonly sessions = new Map<string, LiveSession>();
  private readonly pending = new Set<Pending>();
  private readonly broadcasts = new Map<string, string>();
  private readonly emitter = new Emitter<{ changed: TerminalSessionInfo[] }>();
  private readonly hostKeys: NodeHostKeys;
  private readonly recordingStore: RecordingStore;
  private readonly limits: TerminalLimits;
  private emitTimer?: NodeJS.Timeout;
  private emitDue = Infinity;
  private disposed = false;

  constructor(private readonly deps: TerminalServiceDeps) {
    this.limits = { ...DEFAULT_TERMINAL_LIMITS, ...deps.limits };
    this.hostKeys = new NodeHostKeys(deps.settings);
    this.recordingStore = new RecordingStore(path.join(deps.dataDir, 'recordings'), deps.log, deps.recordingLimits);
  }

  /** Lists the recordings of earlier runs; sessions need nothing started. */
  async start(): Promise<void> {
    await this.recordingStore.load().catch((err: Error) => this.deps.log.error(`cannot list terminal recordings: ${err.message}`));
  }

  async open(req: OpenTerminal): Promise<TerminalSession> {
    if (this.disposed) throw new AppError('unavailable', 'the app is shutting down');
    const t = req.target;
    const where = `node ${t.node} (lab ${t.lab})`;
    this.checkLimits(req);
    const node = this.runningNode(t, where);
    const { cols, rows } = clampSize(req.cols, req.rows);
    const p: Pending = { shareId: req.shareId, attendeeId: req.attendeeId };
    this.pending.add(p);
    let shell: ShellChannel;
    try {
      shell = await (this.deps.openShell ? this.deps.openShell(t, node, { cols, rows }) : this.connect(t, node, where, cols, rows));
    } finally {
      this.pending.delete(p);
    }
    if (p.cancelled || this.disposed) {
      shell.close();
      throw new AppError('refused', `the terminal to ${where} was ended while it opened: ${p.cancelled ?? 'the app is shutting down'}`);
    }
    return this.track(req, shell, cols, rows);
  }

  get(id: string): LiveSession | undefined {
    return this.sessions.get(id);
  }

  list(): TerminalSessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info());
  }

  kill(id: string, reason: string): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    s.close(reason);
    return true;
  }

  /**
   * Ends every session of a share, or of one attendee of it, and opens in progress for them.
   * A share's broadcast stops too (the owner's session itself goes on). An empty filter
   * matches nothing: ending everything is never one missing field away.
   */
  killWhere(filter: { shareId?: string; attendeeId?: string }, reason: string): number {
    if (filter.shareId === undefined && filter.attendeeId === undefined) return 0;
    const matches = (x: { shareId?: string; attendeeId?: string }) =>
      (filter.shareId === undefined || x.shareId === filter.shareId) && (filter.attendeeId === undefined || x.attendeeId === filter.attendeeId);
    for (const p of this.pending) if (matches(p)) p.cancelled = reason;
    let n = 0;
    for (const s of [...this.sessions.values()]) {
      const info = s.info();
      if (info.attendeeId === undefined && filter.attendeeId === undefined) continue; // the owner's own
      if (matches(info)) n += this.kill(s.id, reason) ? 1 : 0;
    }
    if (filter.shareId !== undefined && filter.attendeeId === undefined) {
      const b = this.broadcasts.get(filter.shareId);
      if (b) this.setBroadcast(b, undefined);
    }
    return n;
  }

  /** Watch mode: only a session nobody in the audience opened (the owner's) can be shown to one. */
  setBroadcast(id: string, shareId: string | undefined): void {
    const s = this.sessions.get(id);
    if (!s) throw new AppError('not_found', `no terminal session ${id}`, 'it may have ended; terminals.list shows the open ones', 'id');
    const info = s.info();
    if (shareId !== undefined && info.attendeeId !== undefined) {
      throw new AppError('refused', 'an attendee\'s terminal cannot be broadcast', 'Watch mode shows your own terminal to a share\'s audience.', 'id');
    }
    if (info.broadcastTo !== undefined && this.broadcasts.get(info.broadcastTo) === id) this.broadcasts.delete(info.broadcastTo);
    if (shareId !== undefined) {
      const before = this.broadcasts.get(shareId);
      if (before && before !== id) this.sessions.get(before)?.setBroadcast(undefined);
      this.broadcasts.set(shareId, id);
    }
    s.setBroadcast(shareId);
    this.deps.log.info(shareId ? `terminal on node ${info.node} is shown read-only to the audience of share ${shareId}` : `terminal on node ${info.node} is no longer broadcast`, { session: id });
  }

  broadcastOf(shareId: string): BroadcastView | undefined {
    const id = this.broadcasts.get(shareId);
    return id ? this.sessions.get(id)?.readOnly() : undefined;
  }

  spectate(id: string, delta: 1 | -1): void {
    this.sessions.get(id)?.spectate(delta);
  }

  recordings(): TerminalRecordingInfo[] {
    return this.recordingStore.list();
  }

  async readRecording(id: string): Promise<string> {
    return (await this.recordingStore.read(id)).text;
  }

  deleteRecording(id: string): Promise<void> {
    return this.recordingStore.remove(id);
  }

  /** Forgets the recorded host keys of a node (after its key changed and the owner checked why). */
  forgetHostKey(host: string, lab: string, node: string): number {
    const n = this.hostKeys.forget({ host, lab, node });
    if (n) this.deps.log.info(`forgot the SSH host key of node ${node} (lab ${lab}): the next terminal records the key it presents`);
    return n;
  }

  onChanged(listener: (sessions: TerminalSessionInfo[]) => void): () => void {
    return this.emitter.on('changed', listener);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const p of this.pending) p.cancelled = 'the app is shutting down';
    const open = [...this.sessions.values()];
    for (const s of open) s.close('the app is shutting down');
    clearTimeout(this.emitTimer);
    // Engine shells are hung up by one more exec each: give them a moment, not forever.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, 3000)));
    await Promise.race([Promise.all(open.map((s) => s.gone)), deadline]);
    clearTimeout(timer);
    await this.recordingStore.flush();
    this.emitter.clear();
  }

  private checkLimits(req: OpenTerminal): void {
    if (this.sessions.size + this.pending.size >= this.limits.maxSessions) {
      throw new AppError('rate_limited', `${this.limits.maxSessions} terminal sessions are open, the most this app keeps at once`, 'Close some sessions (the Terminals view lists them) and try again.');
    }
    if (req.maxPerAttendee === undefined || req.attendeeId === undefined) return;
    const same = (x: { shareId?: string; attendeeId?: string }) => x.attendeeId === req.attendeeId && x.shareId === req.shareId;
    const open = [...this.sessions.values()].filter((s) => same(s.info())).length + [...this.pending].filter(same).length;
    if (open >= req.maxPerAttendee) {
      throw new AppError('rate_limited', `${req.attendeeName ?? 'this attendee'} already has ${open} terminal${open === 1 ? '' : 's'} open, the limit for this share`, 'Close a terminal first.');
    }
  }

  private runningNode(t: TerminalTarget, where: string): LabNode {
    const node = this.deps.labs.findNode(t.host, t.lab, t.node);
    if (!node) throw new AppError('not_found', `there is no ${where} on lab host ${t.host}`, 'The lab may not run right now; its nodes appear as soon as it does.', 'node');
    if (node.state !== 'running') throw new AppError('unavailable', `${where} is ${node.state}`, 'Wait for the node to run, then try again.', 'node');
    return node;
  }

  private async connect(t: TerminalTarget, node: LabNode, where: string, cols: number, rows: number): Promise<ShellChannel> {
    if (t.via === 'engine') {
      const docker = this.deps.labs.dockerFor(t.host);
      if (!docker) throw new AppError('unavailable', `the container engine of lab host ${t.host} is not reachable now`, 'Check the lab host\'s status in the top bar; the app reconnects by itself.');
      return openEngineShell({ docker, containerId: node.containerId, where, command: t.command, cols, rows, onLeftBehind: (m) => this.deps.log.warn(m) });
    }
    const dialer = this.deps.labs.dialerFor(t.host);
    const address = node.ipv4 ?? node.ipv6;
    if (!dialer || !address) throw new AppError('unavailable', `${where} has no address to reach it at`, 'A node without a management address can only get a shell through the container engine.');
    let sock;
    try {
      sock = await dialer.dial(address, t.port, this.limits.dialTimeoutMs);
    } catch (err) {
      throw new AppError('unavailable', `cannot reach port ${t.port} of ${where}: ${(err as Error).message}`, 'Check that sshd listens on that port of the node (the node table shows its open ports).');
    }
    return openSshShell({
      sock,
      where,
      username: t.username,
      password: t.password,
      privateKey: t.privateKey,
      cols,
      rows,
      readyTimeoutMs: this.limits.readyTimeoutMs,
      verifyHostKey: (key) => {
        const v = this.hostKeys.check({ host: t.host, lab: t.lab, node: t.node, port: t.port, containerId: node.containerId }, key);
        if (v.ok && v.recorded) this.deps.log.info(`recorded the SSH host key of ${where} (${v.fingerprint})${v.recorded === 'new-container' ? ': the node was redeployed' : ''}`);
        if (!v.ok) this.deps.log.warn(v.message);
        return v;
      },
    });
  }

  private track(req: OpenTerminal, shell: ShellChannel, cols: number, rows: number): LiveSession {
    const t = req.target;
    const id = randomUUID();
    const now = Date.now();
    const info: TerminalSessionInfo = { id, host: t.host, lab: t.lab, node: t.node, via: t.via, cols, rows, startedAt: now, bytesIn: 0, bytesOut: 0, lastActivityAt: now, broadcast: false, spectators: 0 };
    if (req.shareId !== undefined) info.shareId = req.shareId;
    if (req.attendeeId !== undefined) info.attendeeId = req.attendeeId;
    if (req.attendeeName !== undefined) info.attendeeName = req.attendeeName;
    const recording = req.record ? this.recordingStore.start({ sessionId: id, shareId: req.shareId, attendeeName: req.attendeeName, host: t.host, lab: t.lab, node: t.node, cols, rows }) : undefined;
    if (recording) info.recordingId = recording.id;
    const session = new LiveSession({
      info,
      shell,
      backlogBytes: this.limits.backlogBytes,
      idleTimeoutMs: req.idleTimeoutMs,
      recording,
      changed: (structural) => this.changed(structural),
      ended: (s, reason) => this.ended(s, reason, recording),
    });
    this.sessions.set(id, session);
    const who = req.attendeeName ? `${req.attendeeName} opened` : req.attendeeId ? `attendee ${req.attendeeId} opened` : 'opened';
    const as = t.via === 'ssh' ? ` as ${t.username}` : '';
    this.deps.log.info(`${who} a terminal on node ${t.node} (lab ${t.lab}) via ${t.via === 'ssh' ? `SSH port ${t.port}` : 'the container engine'}${as}${recording ? ', recorded' : ''}`, { session: id, ...(req.shareId ? { share: req.shareId } : {}) });
    this.changed(true);
    return session;
  }

  private ended(s: LiveSession, reason: string, recording: { finish(): Promise<void> } | undefined): void {
    this.sessions.delete(s.id);
    const info = s.info();
    if (info.broadcastTo !== undefined && this.broadcasts.get(info.broadcastTo) === s.id) this.broadcasts.delete(info.broadcastTo);
    // Once on disk, the recordings list changed too (complete, its length): say so.
    void recording?.finish().then(
      () => this.changed(true),
      (err: Error) => this.deps.log.error(`recording of session ${s.id} did not finish: ${err.message}`),
    );
    const secs = Math.round((Date.now() - info.startedAt) / 1000);
    this.deps.log.info(`terminal on node ${info.node} (lab ${info.lab}) ended after ${secs} s: ${reason}`, { session: s.id, bytesIn: info.bytesIn, bytesOut: info.bytesOut });
    this.changed(true);
  }

  /** Opens, ends and broadcasts go out on the next tick; byte counters at most once per interval. */
  private changed(structural: boolean): void {
    if (this.disposed) return;
    const due = Date.now() + (structural ? 0 : this.limits.countersEveryMs);
    if (due >= this.emitDue) return;
    clearTimeout(this.emitTimer);
    this.emitDue = due;
    this.emitTimer = setTimeout(() => {
      this.emitDue = Infinity;
      this.emitTimer = undefined;
      this.emitter.emit('changed', this.list());
    }, due - Date.now());
    this.emitTimer.unref?.();
  }
}
