import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pipeConnection } from './connection-pipe';

/** A source like an SSH channel: whatever the test pushes is handed over at once. */
const source = () => new Duplex({ read() {}, write: (_c, _e, cb) => cb() });

/** A sink that records how each write reached it: `1` per plain write, `n` per writev of n chunks. */
function sink(opts: { highWaterMark?: number; slow?: boolean } = {}) {
  const writes: number[] = [];
  const done: (() => void)[] = [];
  const d = new Duplex({
    highWaterMark: opts.highWaterMark,
    read() {},
    write(_c, _e, cb) {
      writes.push(1);
      if (opts.slow) done.push(cb);
      else cb();
    },
    writev(chunks, cb) {
      writes.push(chunks.length);
      if (opts.slow) done.push(cb);
      else cb();
    },
  });
  return { d, writes, release: () => done.splice(0).forEach((cb) => cb()) };
}

const tick = () => new Promise((r) => process.nextTick(r));

describe('pipeConnection', () => {
  it('writes the chunks a channel hands over in one tick as one writev, and counts every byte', async () => {
    const from = source();
    const to = sink();
    const counted: number[] = [];
    pipeConnection(from, to.d, (_dir, n) => counted.push(n), () => undefined);
    await tick(); // flowing now: each push is handed over at once
    from.push(Buffer.alloc(100));
    from.push(Buffer.alloc(200));
    from.push(Buffer.alloc(300));
    await tick();
    from.push(Buffer.alloc(50));
    await tick();
    expect(to.writes).toEqual([3, 1]);
    expect(counted).toEqual([100, 200, 300, 50]);
  });

  it('holds the source once a burst is past the sink high-water mark, until the sink drains', async () => {
    const from = source();
    const to = sink({ highWaterMark: 64, slow: true });
    pipeConnection(from, to.d, () => undefined, () => undefined);
    await tick();
    from.push(Buffer.alloc(100));
    from.push(Buffer.alloc(100));
    await tick();
    expect(from.isPaused()).toBe(true);
    from.push(Buffer.alloc(100)); // arrives while held: kept by the source, not written
    await tick();
    expect(to.writes).toEqual([2]);
    to.release(); // drained: the held chunk goes on
    await tick();
    await tick();
    expect(to.writes).toEqual([2, 1]);
  });
});
