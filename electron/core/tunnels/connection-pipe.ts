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
  client.on('data', (b: Buffer) => {
    stats.bytesIn += b.length;
    onData('in', b.length);
  });
  upstream.on('data', (b: Buffer) => {
    stats.bytesOut += b.length;
    onData('out', b.length);
  });
  client.on('error', onError);
  upstream.on('error', onError);
  client.on('close', closeWith(client, upstream));
  upstream.on('close', closeWith(upstream, client));
  client.pipe(upstream);
  upstream.pipe(client);
  return stats;
}
