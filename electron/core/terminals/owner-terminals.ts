import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../../../shared/rpc-errors';
import type { TerminalOutputChunk, TerminalScreen, TerminalSessionInfo, TerminalVia } from '../../../shared/terminal-model';
import type { Logger } from '../logs/logger';
import { Emitter } from '../util/emitter';
import type { TerminalService } from './terminal-service';

/** How the owner logs in on a node: typed for this session only, or what a share stores. */
export interface OwnerLogin {
  username: string;
  password?: string;
  privateKey?: string;
}

export interface OwnerOpen {
  host: string;
  lab: string;
  node: string;
  via: TerminalVia;
  port: number;
  login?: { shareId: string } | OwnerLogin;
  cols: number;
  rows: number;
  record: boolean;
}

export interface OwnerTerminalsDeps {
  terminals: TerminalService;
  log: Logger;
  /** The login a share stores for one of its nodes (shares/ decides; the composition root wires it). */
  shareLogin(shareId: string, target: { host: string; lab: string; node: string }): OwnerLogin;
  /** Throws not_found for a share that does not exist (watch mode names one). */
  checkShare(shareId: string): void;
  /** Output is sent in batches this far apart. */
  batchMs?: number;
  /** Output waiting for the next batch per session; past it the batch is dropped (the view redraws). */
  maxPendingBytes?: number;
}

interface Stream {
  decoder: StringDecoder;
  seq: number;
  pending: string;
  pendingBytes: number;
  end?: string;
  unsub: () => void;
}

/**
 * The owner's own terminals, as the UI drives them through the contract: open with a login
 * typed for this session (kept nowhere) or the one a share stores, type, resize, close, show
 * one to a share's audience. Output goes out as `terminals.output` batches numbered per
 * session; a view that missed one (a slow client's events are coalesced) redraws from
 * `screen()`. Attendees' sessions take no input from here: the owner can only end them.
 */
export class OwnerTerminals {
  private readonly streams = new Map<string, Stream>();
  private readonly emitter = new Emitter<{ output: TerminalOutputChunk[] }>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly deps: OwnerTerminalsDeps) {}

  async open(p: OwnerOpen): Promise<TerminalSessionInfo> {
    const where = { host: p.host, lab: p.lab, node: p.node };
    let target;
    if (p.via === 'engine') {
      target = { ...where, via: 'engine' as const };
    } else {
      if (!p.login) throw new AppError('invalid_params', 'an SSH terminal needs a login', 'Type a user and password (or key), or use the login a share stores for this node.', 'login');
      const login = 'shareId' in p.login ? this.deps.shareLogin(p.login.shareId, where) : p.login;
      target = { ...where, via: 'ssh' as const, port: p.port, username: login.username, password: login.password, privateKey: login.privateKey };
    }
    const session = await this.deps.terminals.open({ target, cols: p.cols, rows: p.rows, record: p.record });
    const s: Stream = { decoder: new StringDecoder('utf8'), seq: 0, pending: '', pendingBytes: 0, unsub: () => undefined };
    const offData = session.onData((chunk) => this.output(session.id, s, chunk));
    const offExit = session.onExit((reason) => {
      s.end = reason;
      this.schedule();
    });
    s.unsub = () => (offData(), offExit());
    this.streams.set(session.id, s);
    return session.info();
  }

  write(id: string, data: string): void {
    this.own(id).write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    this.own(id).resize(cols, rows);
  }

  close(id: string): void {
    this.own(id).close('closed by the owner');
  }

  /** Ends any session, an attendee's too. */
  kill(id: string): void {
    if (!this.deps.terminals.kill(id, 'ended by the owner')) throw notFound(id);
  }

  /** The recent output of one of the owner's sessions, and the last batch it already holds. */
  screen(id: string): TerminalScreen {
    const session = this.own(id);
    this.flush(); // what is pending is in the backlog: send it now so `seq` covers it
    return { id, seq: this.streams.get(id)?.seq ?? 0, data: decodeTail(session.backlog()) };
  }

  setBroadcast(id: string, shareId: string | null): TerminalSessionInfo {
    const session = this.own(id);
    if (shareId !== null) this.deps.checkShare(shareId);
    this.deps.terminals.setBroadcast(id, shareId ?? undefined);
    return session.info();
  }

  onOutput(listener: (batch: TerminalOutputChunk[]) => void): () => void {
    return this.emitter.on('output', listener);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.streams.values()) s.unsub();
    this.streams.clear();
    this.emitter.clear();
  }

  private own(id: string) {
    const session = this.deps.terminals.get(id);
    if (!session) throw notFound(id);
    if (!this.streams.has(id)) throw new AppError('refused', 'this is an attendee\'s terminal: only they type in it', 'You can end it from the sessions table.', 'id');
    return session;
  }

  private output(id: string, s: Stream, chunk: Buffer): void {
    const text = s.decoder.write(chunk);
    if (!text) return;
    s.pending += text;
    s.pendingBytes += chunk.length;
    if (s.pendingBytes > (this.deps.maxPendingBytes ?? 1024 * 1024)) {
      // A flood faster than batches go out: skip it; the gap in `seq` makes the view redraw.
      s.pending = '';
      s.pendingBytes = 0;
      s.seq++;
      this.deps.log.debug(`terminal ${id}: output came faster than it could be sent; the view redraws from the backlog`);
    }
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.deps.batchMs ?? 20);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch: TerminalOutputChunk[] = [];
    for (const [id, s] of this.streams) {
      if (s.end !== undefined) s.pending += s.decoder.end();
      if (s.pending || s.end !== undefined) {
        const chunk: TerminalOutputChunk = { id, seq: ++s.seq, data: s.pending };
        if (s.end !== undefined) chunk.end = s.end;
        batch.push(chunk);
        s.pending = '';
        s.pendingBytes = 0;
      }
      if (s.end !== undefined) {
        s.unsub();
        this.streams.delete(id);
      }
    }
    if (batch.length) this.emitter.emit('output', batch);
  }
}

const notFound = (id: string) => new AppError('not_found', `no terminal session ${id}`, 'It may have ended; the sessions table shows the open ones.', 'id');

/** The backlog may start inside a UTF-8 character: skip its continuation bytes. */
function decodeTail(b: Buffer): string {
  let i = 0;
  while (i < b.length && i < 4 && (b[i] & 0xc0) === 0x80) i++;
  return b.subarray(i).toString('utf8');
}
