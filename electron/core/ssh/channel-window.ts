import type { Duplex } from 'node:stream';

/**
 * SSH channel receive windows larger than ssh2's fixed 2 MB, for connections whose sender is
 * far away. A sender may only have `window` bytes unacknowledged, so over a WAN the window,
 * not the link, caps a transfer: 2 MB per 50 ms round trip is at most 42 MB/s. ssh2 offers no
 * option for it, so after accepting a channel we grant the difference with a WINDOW_ADJUST and
 * from then on return credit as the consumer takes the data ('data' events once it flows),
 * which keeps ssh2's own top-up (at 1 MB left) from ever running. Backpressure still holds:
 * what the node does not read is not credited, so a channel never holds more than its window.
 * The extra above 2 MB comes from a budget shared by a link's channels, so many slow
 * connections cannot make the app hold more than the budget beyond ssh2's own 2 MB each
 * (a channel still receiving after it was destroyed keeps at most what was granted then).
 */

/** ssh2's own receive window per channel (lib/Channel.js MAX_WINDOW). */
const SSH2_WINDOW = 2 * 1024 * 1024;

/** What ssh2 keeps on a Channel that this relies on; checked, never assumed. */
interface ChannelInternals {
  incoming?: { window?: number };
  outgoing?: { id?: number; state?: string };
  _client?: { _protocol?: { channelWindowAdjust?: (id: number, amount: number) => void } };
}

/** The largest window a channel gets: 320 MB/s over a 50 ms round trip. */
export const MAX_WINDOW = 16 * 1024 * 1024;
/** What a window should keep flowing over one round trip. */
const RATE_BYTES_PER_MS = MAX_WINDOW / 50;

/**
 * The window for a link `rttMs` away: what keeps 320 MB/s flowing over one round trip, never
 * below ssh2's 2 MB nor above 16 MB; ssh2's 2 MB while the round trip is not known yet. Not
 * simply the largest: a window the link does not need lets OpenSSH's sshd read far ahead of
 * what it can send, and it then spends about three times the CPU per byte (measured on
 * loopback: 1.1 s/GB at 2-4 MB, 3-11 s/GB at 16 MB).
 */
export function windowForRtt(rttMs: number | undefined): number {
  if (rttMs === undefined || !(rttMs > 0)) return SSH2_WINDOW;
  return Math.min(MAX_WINDOW, Math.max(SSH2_WINDOW, Math.round(rttMs * RATE_BYTES_PER_MS)));
}

/** Bytes of window beyond ssh2's 2 MB that a link's channels may hold together. */
export class WindowBudget {
  constructor(private left: number) {}

  take(want: number): number {
    const got = Math.max(0, Math.min(want, this.left));
    this.left -= got;
    return got;
  }

  give(n: number): void {
    this.left += n;
  }

  get available(): number {
    return this.left;
  }
}

/**
 * Widens the receive window of `channel` (an ssh2 Channel just accepted) to `window` bytes,
 * as far as `budget` allows. Returns the channel. Does nothing (ssh2's 2 MB stays) when
 * ssh2's internals are not what this expects.
 */
export function widenWindow<T extends Duplex>(channel: T, window: number, budget: WindowBudget): T {
  const ch = channel as unknown as ChannelInternals;
  const protocol = ch._client?._protocol;
  const id = ch.outgoing?.id;
  if (typeof ch.incoming?.window !== 'number' || typeof id !== 'number' || typeof protocol?.channelWindowAdjust !== 'function') return channel;
  const incoming = ch.incoming as { window: number };
  if (window <= SSH2_WINDOW) return channel;
  const extra = budget.take(window - SSH2_WINDOW);
  if (extra <= 0) return channel;
  const grant = (n: number) => {
    if (ch.outgoing?.state !== 'open' && ch.outgoing?.state !== 'eof') return false;
    incoming.window += n;
    protocol.channelWindowAdjust!.call(protocol, id, n);
    return true;
  };
  grant(extra);
  // Credit goes back in steps of an eighth of the window: few adjust messages, and the sender
  // still has most of the window to fill while one is on its way.
  const step = Math.max(256 * 1024, Math.floor(window / 8));
  let consumed = 0;
  const onData = (b: Buffer) => {
    consumed += b.length;
    if (consumed < step) return;
    if (grant(consumed)) consumed = 0;
  };
  // Counting from 'data' only once the consumer has made it flow: a 'data' listener added
  // earlier would start the flow itself, before the consumer is there to take the bytes.
  channel.once('resume', () => channel.on('data', onData));
  // The budget goes back as soon as the channel is done with from either end. 'close' alone
  // is not enough: ssh2 emits it only once unread data was read, which a destroyed channel
  // never is.
  let returned = false;
  const release = () => {
    if (returned) return;
    returned = true;
    budget.give(extra);
  };
  for (const event of ['end', 'close', 'error']) channel.once(event, release);
  const stream: Duplex = channel;
  const destroy = stream.destroy;
  stream.destroy = function (this: Duplex, err?: Error) {
    release();
    return destroy.call(this, err);
  };
  return channel;
}
