import type { ClientChannel } from 'ssh2';
import { decodePeer, encodePeer, FRAME, frame, FrameReader, u32, type Peer } from './frames';
import { HELPER_MARK, HELPER_MISSING_EXIT, helperCommand, type HelperMode } from './helper-command';
import { SOCAT_MAX_REPLY } from './helper-socat';

/** Opens an exec channel on the SSH connection the helper belongs to. */
export type ExecChannel = (command: string) => Promise<ClientChannel>;

/** Why the helper did not start: `missing` (no interpreter), `bind` (the port), `failed` (anything else). */
export class HelperError extends Error {
  constructor(
    readonly kind: 'missing' | 'bind' | 'failed',
    message: string,
    /** For `bind`: the errno name the helper reported (EADDRINUSE, EACCES, ...). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HelperError';
  }
}

export interface HelperEvents {
  /** bind mode: a datagram from a public peer. */
  datagram?(peer: Peer, data: Buffer): void;
  /** connect mode: a datagram from the node on `flow`. */
  flowData?(flow: number, data: Buffer): void;
  /** connect mode: the flow's socket reported `code` (ECONNREFUSED: port unreachable); `fatal` when it never opened. */
  flowError?(flow: number, code: string, fatal: boolean): void;
  /** The helper is gone (channel closed, link lost, helper died); not called after close(). */
  closed?(why: string): void;
}

const STDERR_KEEP = 2000;
/** A reply queue deeper than this means the SSH channel is stuck: later replies are dropped. */
const MAX_BUFFERED = 4 * 1024 * 1024;

/**
 * The far end of a UDP path over SSH: the helper started through one exec channel (see
 * helper-command.ts), spoken to in frames (or in the socat fallback's lines). Writes made in
 * the same tick leave as one channel write, so a burst of replies costs one SSH packet.
 */
export class DatagramHelper {
  /** The bound public port (bind mode). */
  port = 0;
  /** What runs there, in words: `python3 203.0.113.5` or `socat 0.0.0.0`. */
  runs = '';
  /** Replies dropped because the channel was stuck or (socat) they were too large. */
  dropped = 0;
  private text = false;
  private lineBuf = '';
  private readonly out: Buffer[] = [];
  private flushQueued = false;
  private ended = false;

  private constructor(
    private readonly ch: ClientChannel,
    private readonly events: HelperEvents,
  ) {}

  /**
   * Starts the helper and resolves once it reported that it is up; rejects with a HelperError
   * saying what the server lacks or why the port could not be bound.
   */
  static start(exec: ExecChannel, mode: HelperMode, events: HelperEvents, where: string, timeoutMs = 15_000): Promise<DatagramHelper> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let stderr = '';
      const fail = (err: HelperError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      };
      const timer = setTimeout(() => fail(new HelperError('failed', `the UDP helper on ${where} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
      exec(helperCommand(mode)).then(
        (ch) => {
          const h = new DatagramHelper(ch, events);
          let exitCode: number | null | undefined;
          ch.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-STDERR_KEEP)));
          ch.on('exit', (code: number | null) => (exitCode = code));
          ch.once('close', () => {
            if (settled) return h.gone('the helper channel closed');
            // ssh2 may report the exit status after the close: its words on stderr tell too.
            if (exitCode === HELPER_MISSING_EXIT || stderr.includes(`${HELPER_MARK}: `)) {
              const what = mode.mode === 'bind' ? 'neither python3 nor socat' : 'no python3';
              const install = mode.mode === 'bind' ? 'install python3 (e.g. apt install python3-minimal) or socat there' : 'install python3 there (e.g. apt install python3-minimal)';
              return fail(new HelperError('missing', `${where} has ${what}, which carrying UDP over SSH needs: ${install}`));
            }
            const why = stderr.trim().split('\n').pop() || 'the channel closed';
            fail(new HelperError('failed', `the UDP helper on ${where} ended before it started: ${why}`));
          });
          ch.on('data', (d: Buffer) => {
            const r = h.receive(d);
            if (!r || settled) return;
            settled = true;
            clearTimeout(timer);
            if (r.ok) resolve(h);
            else {
              ch.close();
              reject(r.error);
            }
          });
        },
        (err: Error) => fail(new HelperError('failed', `cannot start the UDP helper on ${where}: ${err.message}`)),
      );
    });
  }

  /** bind mode: a datagram to a public peer, from the public port. */
  send(peer: Peer, data: Buffer): void {
    if (this.text) {
      if (data.length > SOCAT_MAX_REPLY) return void this.dropped++;
      let esc = '';
      for (const b of data) esc += `\\${b.toString(8).padStart(3, '0')}`;
      return this.write(Buffer.from(`D ${peer.address} ${peer.port} ${esc}\n`));
    }
    this.write(frame(FRAME.DATA, encodePeer(peer), data));
  }

  openFlow(flow: number, to: Peer): void {
    this.write(frame(FRAME.FLOW_OPEN, u32(flow), encodePeer(to)));
  }

  sendFlow(flow: number, data: Buffer): void {
    this.write(frame(FRAME.FLOW_DATA, u32(flow), data));
  }

  closeFlow(flow: number): void {
    this.write(frame(FRAME.FLOW_CLOSE, u32(flow)));
  }

  /** Ends the helper: its stdin closes, it exits, the channel goes (and every socket with it). */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.flush();
    this.ch.end();
    this.ch.close();
  }

  private write(b: Buffer): void {
    if (this.ended) return;
    if (this.ch.writableLength > MAX_BUFFERED) return void this.dropped++;
    this.out.push(b);
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    if (!this.out.length || this.ch.destroyed) return void (this.out.length = 0);
    const data = this.out.length === 1 ? this.out[0] : Buffer.concat(this.out);
    this.out.length = 0;
    this.ch.write(data);
  }

  private gone(why: string): void {
    if (this.ended) return;
    this.ended = true;
    this.events.closed?.(why);
  }

  private reader = new FrameReader(
    (type, body) => this.onFrame(type, body),
    (why) => {
      this.gone(`the helper sent garbage (${why})`);
      this.ch.close();
    },
  );
  private startup?: { ok: true } | { ok: false; error: HelperError };

  /** Feeds stdout bytes in; returns the start-up verdict once, when it arrives. */
  private receive(d: Buffer): { ok: true } | { ok: false; error: HelperError } | undefined {
    const before = this.startup;
    // The socat fallback speaks lines (`READY …`), python3 binary frames (a length first).
    if (!before && !this.text && this.lineBuf === '' && (d[0] === 0x52 || d[0] === 0x46)) this.text = true;
    if (this.text) this.receiveLines(d);
    else this.reader.push(d);
    return before ? undefined : this.startup;
  }

  private onFrame(type: number, body: Buffer): void {
    switch (type) {
      case FRAME.DATA: {
        const p = decodePeer(body);
        if (p) this.events.datagram?.(p.peer, body.subarray(p.end));
        return;
      }
      case FRAME.FLOW_DATA:
        return this.events.flowData?.(body.readUInt32BE(0), body.subarray(4));
      case FRAME.FLOW_ERROR:
        return this.events.flowError?.(body.readUInt32BE(0), body.subarray(5).toString('latin1'), body[4] === 0x21);
      case FRAME.READY:
        this.port = body.readUInt16BE(0);
        this.runs = body.subarray(2).toString('utf8');
        this.startup ??= { ok: true };
        return;
      case FRAME.FAIL:
        this.startup ??= { ok: false, error: bindError(body.toString('utf8')) };
        return;
    }
  }

  private receiveLines(d: Buffer): void {
    this.lineBuf += d.toString('latin1');
    for (let i = this.lineBuf.indexOf('\n'); i >= 0; i = this.lineBuf.indexOf('\n')) {
      const line = this.lineBuf.slice(0, i);
      this.lineBuf = this.lineBuf.slice(i + 1);
      const [kind, a, b, c] = line.split(' ');
      if (kind === 'D' && c !== undefined) this.events.datagram?.({ address: a, port: Number(b) }, Buffer.from(c, 'hex'));
      else if (kind === 'READY') {
        this.port = Number(a);
        this.runs = line.split(' ').slice(2).join(' ');
        this.startup ??= { ok: true };
      } else if (kind === 'FAIL') this.startup ??= { ok: false, error: bindError(line.slice(5)) };
    }
    if (this.lineBuf.length > 300_000) this.lineBuf = ''; // a line longer than any datagram's: not ours
  }
}

/** `EADDRINUSE 0.0.0.0 port 161: Address already in use` → a HelperError of kind `bind`. */
function bindError(text: string): HelperError {
  const [code, ...rest] = text.split(' ');
  return new HelperError('bind', rest.join(' '), code);
}
