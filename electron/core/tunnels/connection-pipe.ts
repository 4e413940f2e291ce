import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface PipeStats {
  bytesIn: number;
  bytesOut: number;
}

/**
 * Copies bytes both ways between a public connection and the node, counting them. Ends are
 * forwarded (half-close works: a client that finished sending still gets the answer) and an
 * error on either side tears down both. `done` fires once, with the final byte counts. Returns
 * the live counts (the same object, updated as bytes pass) for whoever follows the connection.
 */
export function pipeConnection(
  client: Duplex,
  upstream: Duplex,
  onData: (dir: 'in' | 'out', n: number) => void,
  done: (stats: PipeStats, error?: Error) => void,
): Readonly<PipeStats> {
  const stats: PipeStats = { bytesIn: 0, bytesOut: 0 };
  let finished = false;
  let closed = 0;
  let firstError: Error | undefined;
  const finish = () => {
    if (finished) return;
    finished = true;
    done(stats, firstError);
  };
  const onError = (err: Error) => {
    firstError ??= err;
    client.destroy();
    upstream.destroy();
  };
  const closeWith = (self: Duplex, other: Duplex) => () => {
    // A side destroyed with an error may close before its 'error' event (emitted on the next
    // tick): ssh2 ends the channels of a lost link synchronously. `errored` is already set.
    firstError ??= self.errored ?? undefined;
    closed++;
    if (closed === 2) return finish();
    // One side is gone: nothing more can reach it, so once the other side has flushed what
    // it was sent (pipe already called end()), destroy it rather than keep it half-open.
    if (other.destroyed) return;
    if (other.writableFinished) other.destroy();
    else {
      other.once('finish', () => other.destroy());
      other.end();
    }
  };
  client.on('error', onError);
  upstream.on('error', onError);
  client.on('close', closeWith(client, upstream));
  upstream.on('close', closeWith(upstream, client));
  copy(client, upstream, (n) => {
    stats.bytesIn += n;
    onData('in', n);
  });
  copy(upstream, client, (n) => {
    stats.bytesOut += n;
    onData('out', n);
  });
  return stats;
}

/**
 * `from` → `to` like pipe() (backpressure, end forwarded), counting each chunk in the same
 * listener. A source that hands over several chunks at once (an SSH channel: one read from
 * the relay holds several packets) has them written to `to` as one writev: `to` is corked for
 * the rest of the tick, and backpressure is checked once the burst is written (so at most one
 * burst is buffered beyond `to`'s high-water mark). A kernel socket's chunks come one per
 * read: they go straight on.
 */
function copy(from: Duplex, to: Duplex, count: (n: number) => void): void {
  const burst = !(from instanceof net.Socket);
  let corked = false;
  const resume = () => from.resume();
  const wait = () => {
    from.pause();
    to.once('drain', resume);
  };
  const uncork = () => {
    corked = false;
    to.uncork();
    if (to.writableNeedDrain && !to.destroyed) wait();
  };
  from.on('data', (b: Buffer) => {
    count(b.length);
    // Gone or finished: nothing more can reach it (pipe() would have unpiped by now).
    if (to.destroyed || to.writableEnded) return;
    if (burst && !corked) {
      corked = true;
      to.cork();
      process.nextTick(uncork);
    }
    if (!to.write(b) && !corked) wait();
  });
  from.once('end', () => to.end());
}
