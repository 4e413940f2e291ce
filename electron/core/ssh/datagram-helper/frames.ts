/**
 * The datagram helper's wire format over an SSH channel (helper-python.ts is the other end):
 * `u32 length` (of what follows), `u8 type`, body. Peers are `u8 family (4|6)`, the address
 * (4 or 16 bytes) and `u16 port`; flows are a `u32` id the app chose.
 */
import net from 'node:net';

export const FRAME = {
  /** bind mode, both ways: a datagram from / to a public peer. */
  DATA: 1,
  /** connect mode, both ways: a datagram on a flow (to / from the node). */
  FLOW_DATA: 2,
  /** connect mode, app → helper: open a socket connected to a peer. */
  FLOW_OPEN: 3,
  FLOW_CLOSE: 4,
  /** connect mode, helper → app: the flow's socket failed (`!` first: it could not open). */
  FLOW_ERROR: 5,
  /** helper → app: up; the bound port (bind mode), then the interpreter and address in words. */
  READY: 16,
  /** helper → app: could not start (e.g. `EADDRINUSE <words>`); the helper exits. */
  FAIL: 17,
} as const;

/** A datagram's body is at most this; larger frames mean a broken stream. */
const MAX_FRAME = 65_535 + 32;

export interface Peer {
  address: string;
  port: number;
}

export function encodePeer(p: Peer): Buffer {
  const v6 = net.isIPv6(p.address);
  const b = Buffer.alloc(v6 ? 19 : 7);
  b[0] = v6 ? 6 : 4;
  if (v6) ipv6Bytes(p.address).copy(b, 1);
  else p.address.split('.').forEach((x, i) => (b[1 + i] = Number(x)));
  b.writeUInt16BE(p.port, v6 ? 17 : 5);
  return b;
}

/** The peer at `at` and where the payload starts; undefined when the bytes are not a peer. */
export function decodePeer(b: Buffer, at = 0): { peer: Peer; end: number } | undefined {
  if (b[at] === 4 && b.length >= at + 7) return { peer: { address: `${b[at + 1]}.${b[at + 2]}.${b[at + 3]}.${b[at + 4]}`, port: b.readUInt16BE(at + 5) }, end: at + 7 };
  if (b[at] === 6 && b.length >= at + 19) {
    const groups: string[] = [];
    for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(at + 1 + i * 2).toString(16));
    // Node's own short form (what a socket's remoteAddress reads), e.g. ::ffff:192.0.2.1.
    const address = new net.SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
    return { peer: { address, port: b.readUInt16BE(at + 17) }, end: at + 19 };
  }
  return undefined;
}

export function frame(type: number, ...parts: Buffer[]): Buffer {
  const len = parts.reduce((n, p) => n + p.length, 1);
  const head = Buffer.allocUnsafe(5);
  head.writeUInt32BE(len, 0);
  head[4] = type;
  return Buffer.concat([head, ...parts], 4 + len);
}

export const u32 = (n: number): Buffer => {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
};

/**
 * Splits the channel's byte stream back into frames, however SSH cut it. `onFrame` gets each
 * body as a view into the received bytes (copy what you keep past the call).
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly onFrame: (type: number, body: Buffer) => void,
    private readonly onBroken: (why: string) => void,
  ) {}

  push(chunk: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    while (buf.length - at >= 5) {
      const len = buf.readUInt32BE(at);
      if (len < 1 || len > MAX_FRAME) {
        this.pending = Buffer.alloc(0);
        return this.onBroken(`a frame of ${len} bytes`);
      }
      if (buf.length - at < 4 + len) break;
      this.onFrame(buf[at + 4], buf.subarray(at + 5, at + 4 + len));
      at += 4 + len;
    }
    buf = buf.subarray(at);
    // Keep the tail only: a copy, so the chunk it came from can go.
    this.pending = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
  }
}

function ipv6Bytes(addr: string): Buffer {
  const out = Buffer.alloc(16);
  let a = addr.split('%')[0];
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (dotted) a = a.slice(0, dotted.index) + (((+dotted[1] << 8) | +dotted[2]).toString(16) + ':' + ((+dotted[3] << 8) | +dotted[4]).toString(16));
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}
