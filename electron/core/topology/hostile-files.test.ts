/**
 * Topology files that froze the core: merge-key and alias fan-outs, a map of 32,000 nodes,
 * files far larger than any topology, and paths that are no file at all (a FIFO waits for a
 * writer forever, /dev/zero never ends). Each is read or refused, with a clear error, while
 * the core's event loop keeps turning.
 *
 * The time bounds below are hang detectors, many times what the work takes: the code before
 * these fixes took from 11 s to "never" on the same inputs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopology, parseTopology } from './load-topology';
import { TopologyFileError } from './topology-file-error';
import { MAX_TOPOLOGY_BYTES } from './topology-limits';

/**
 * The longest the event loop may stall while a file is read: what a busy two-core machine
 * running other test files at once adds to a loop that never waits for the file (its own
 * garbage collection, the report's JSON.parse). Reading in the loop stalled it 11 s and more.
 */
const LOOP_GAP_MS = 500;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-topo-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

async function refusal(p: Promise<unknown>): Promise<TopologyFileError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof TopologyFileError) return err;
  throw new Error(`expected a TopologyFileError, got ${err === undefined ? 'a report' : String(err)}`);
}

/** `levels` of maps, each merging the one below `width` times: `<<: [*a0, *a0, …]`. */
function mergeFanOut(width: number, levels: number): string {
  const out = ['name: fan', 'a0: &a0 {kind: linux, image: alpine:3}'];
  for (let d = 1; d <= levels; d++) out.push(`a${d}: &a${d} {<<: [${Array(width).fill(`*a${d - 1}`).join(', ')}], l${d}: x}`);
  out.push('topology:', '  nodes:', '    n1:', `      <<: *a${levels}`, '      publish: [tcp/22]');
  return out.join('\n') + '\n';
}

/** Largest delay between timer ticks while `work` runs: how long the event loop was blocked. */
async function loopBlockedWhile<T>(work: Promise<T>): Promise<{ result: PromiseSettledResult<T>; maxGapMs: number }> {
  let last = performance.now();
  let maxGapMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 5);
  const [result] = await Promise.allSettled([work]);
  clearInterval(tick);
  // A loop blocked until the work ended never ran the timer: count the time since its last tick.
  return { result, maxGapMs: Math.max(maxGapMs, performance.now() - last) };
}

describe('merge keys and aliases', () => {
  it('reads a merge-key fan-out (10 wide, 8 deep) once per map, with the merged values', () => {
    const started = performance.now();
    const report = parseTopology(mergeFanOut(10, 8), '/labs/fan.clab.yml');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(report.nodes[0]).toMatchObject({ name: 'n1', kind: 'linux', image: 'alpine:3' });
    expect(report.entries.map((e) => e.text)).toEqual(['tcp/22']);
  });

  it('refuses a file whose aliases make the reader visit millions of entries, saying why', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}: v`).join(', ');
    const nodes = Array.from({ length: 6000 }, (_, i) => `    n${i}: {<<: *big, kind: linux}`);
    const file = write('aliases.clab.yml', ['name: al', `big: &big {${keys}}`, 'topology:', '  nodes:', ...nodes].join('\n') + '\n');
    const { result, maxGapMs } = await loopBlockedWhile(refusal(loadTopology(file, { env: {} })));
    expect(maxGapMs).toBeLessThan(LOOP_GAP_MS);
    if (result.status === 'rejected') throw result.reason;
    const err = result.value;
    expect(err.kind).toBe('limit');
    expect(err.message).toMatch(/too costly to read: reading it takes more than 5,000,000 map entries and list items/);
    expect(err.hint).toMatch(/merge keys \(<<\) or aliases/);
  });

  it('follows a merge cycle no further than the map itself', () => {
    const text = ['name: cyc', 'topology:', '  nodes:', '    n1: &n1', '      kind: linux', '      <<: *n1'].join('\n') + '\n';
    expect(parseTopology(text, '/labs/cyc.clab.yml').nodes[0]).toMatchObject({ name: 'n1', kind: 'linux' });
  });
});

describe('big files', () => {
  it('reads 32,000 nodes off the event loop (the map of nodes was quadratic to parse)', async () => {
    const nodes = Array.from({ length: 32_000 }, (_, i) => `    n${i}: {kind: linux}`);
    const file = write('big.clab.yml', ['name: big', 'topology:', '  nodes:', ...nodes].join('\n') + '\n');
    const { result, maxGapMs } = await loopBlockedWhile(loadTopology(file, { env: {} }));
    expect(result.status === 'fulfilled' && result.value.nodes.length).toBe(32_000);
    // Taking the 4 MB report in costs the loop tens of ms (JSON.parse); the reading cost it 16 s.
    expect(maxGapMs).toBeLessThan(LOOP_GAP_MS);
  });

  it('finds a duplicate key in a big map, where the file says so', async () => {
    const nodes = Array.from({ length: 20_000 }, (_, i) => `    n${i}: {kind: linux}`);
    nodes.push('    n7: {kind: linux}');
    const file = write('dup.clab.yml', ['name: dup', 'topology:', '  nodes:', ...nodes].join('\n') + '\n');
    const err = await refusal(loadTopology(file, { env: {} }));
    expect(err).toMatchObject({ kind: 'yaml', line: 20_004, column: 5, message: 'not valid YAML: Map keys must be unique' });
  });

  it('refuses a file over the size cap unread, naming the cap', async () => {
    const file = write('huge.clab.yml', `name: huge\n# ${'x'.repeat(MAX_TOPOLOGY_BYTES)}\n`);
    const err = await refusal(loadTopology(file, { env: {} }));
    expect(err.kind).toBe('limit');
    expect(err.message).toBe('the file is larger than 1 MiB, the most a topology file may be');
  });

  it('stops the analysis past its time budget and says so', async () => {
    const nodes = Array.from({ length: 20_000 }, (_, i) => `    n${i}: {kind: linux}`);
    const file = write('slow.clab.yml', ['name: slow', 'topology:', '  nodes:', ...nodes].join('\n') + '\n');
    const err = await refusal(loadTopology(file, { env: {}, budget: { timeMs: 50 } }));
    expect(err.kind).toBe('limit');
    expect(err.message).toBe('reading the file took longer than 0.05 s, and was stopped');
  });
});

describe('paths that are no topology file', () => {
  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = path.join(dir, 'fifo.clab.yml');
    execFileSync('mkfifo', [fifo]);
    const err = await refusal(loadTopology(fifo, { env: {} }));
    expect(err).toMatchObject({ kind: 'read', message: 'cannot read the topology file: it is a FIFO (named pipe), not a regular file' });
  });

  it('refuses a device (/dev/zero never ends) and a folder', async () => {
    expect((await refusal(loadTopology('/dev/zero', { env: {} }))).message).toBe('cannot read the topology file: it is a device, not a regular file');
    expect((await refusal(loadTopology(dir, { env: {} }))).message).toBe('cannot read the topology file: it is a folder, not a regular file');
  });

  it('reads a regular file through a symlink (containerlab keeps the path it was given)', async () => {
    const real = write('real.clab.yml', 'name: linked\ntopology:\n  nodes:\n    a: {kind: linux}\n');
    const link = path.join(dir, 'link.clab.yml');
    fs.symlinkSync(real, link);
    expect((await loadTopology(link, { env: {} })).labName).toBe('linked');
  });
});
