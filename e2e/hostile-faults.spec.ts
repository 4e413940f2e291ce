import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Lab } from '../shared/model';
import type { LabTopologyState } from '../shared/topology-model';
import { startHost, type TestHost } from '../test-support/host-process';
import { FLOODING_CAT, startLab, type TestLab } from '../test-support/lab-containers';
import { RpcClient } from '../test-support/rpc-client';

// Issue 10 as a process sees it: the headless host (dist-host/cli.js) with a real Docker,
// fed what froze it or stopped it before. A full disk under its data folder (a real tmpfs),
// a node whose `cat` prints forever, topology files built to be costly. Each time the host
// keeps answering, says what it refused and why, and keeps what it had.

const ID = process.pid;

/** The host's resident memory now, in MB, from /proc. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/**
 * Pings the host (a cheap API call on a connection of its own) back to back while `work`
 * runs; resolves with the slowest round trip. A host whose loop is blocked answers late.
 */
async function slowestPingWhile<T>(api: RpcClient, work: Promise<T>): Promise<{ result: T; slowestMs: number; pings: number }> {
  let done = false;
  let slowestMs = 0;
  let pings = 0;
  const pinging = (async () => {
    while (!done) {
      const started = performance.now();
      await api.call('hosts.list', {});
      slowestMs = Math.max(slowestMs, performance.now() - started);
      pings++;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    const result = await work;
    return { result, slowestMs, pings };
  } finally {
    done = true;
    await pinging;
  }
}

test.describe.serial('the data folder on a full disk', () => {
  const LAB = `dfull${ID}`;
  let dir: string;
  let host: TestHost | undefined;
  let api: RpcClient;
  let lab: TestLab;
  let mounted = false;

  // Mounting a tmpfs needs root, as the rest of the test environment does (scripts/setup-test-env.sh).
  const NOT_ROOT = 'mounting the small tmpfs that plays the full disk needs root';
  const notRoot = process.getuid?.() !== 0;
  if (notRoot) console.log(`full-disk tests skipped: ${NOT_ROOT}`);
  test.skip(notRoot, NOT_ROOT);

  test.beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-diskfull-'));
    // A small file system of its own: filling it touches nothing else on the machine.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir]);
    mounted = true;
    lab = await startLab({ lab: LAB, nodes: [{ name: 'n1' }] });
    await lab.waitForPorts('n1', [7]);
    host = await startHost({ dataDir: dir });
    api = await RpcClient.open(host);
  });

  test.afterAll(async () => {
    api?.close();
    await host?.stop();
    await lab?.remove();
    if (mounted) execFileSync('umount', [dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const fill = () => {
    // As much as the file system takes; the last write fails with ENOSPC.
    const fd = fs.openSync(path.join(dir, 'fill'), 'w');
    const block = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) fs.writeSync(fd, block);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    } finally {
      fs.closeSync(fd);
    }
  };

  test('a publication that cannot be saved is refused with "disk full", and nothing changes', async () => {
    const first = await api.call('publications.add', { lab: LAB, node: 'n1', port: 7, type: 'tcp' });
    await api.tunnel(first.id, (t) => t.state === 'online', 'online');
    const settingsBefore = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');
    fill();
    const refused = await api.call('publications.add', { lab: LAB, node: 'n1', port: 80, type: 'http' }).catch((e: Error) => e);
    expect(String(refused)).toBe(`Error: publications.add: disk full: cannot save the settings to ${path.join(dir, 'settings.json')} (no space left on the device); nothing was changed`);
    expect((await api.call('publications.list', {})).map((p) => p.id)).toEqual([first.id]);
    expect(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe(settingsBefore);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('log writes that fail are counted and said once; a node restart (its tunnel saving its port) does not stop the host', async () => {
    const [pub] = await api.call('publications.list', {});
    const before = Date.now();
    await lab.restart('n1');
    await api.tunnel(pub.id, (t) => t.state === 'online', 'online again after the restart');
    const status = await api.waitFor('logs.status', () => api.call('logs.status', {}), (s) => s.unwritten > 0 && s, 'entries not written to the log file');
    expect(status).toMatchObject({ file: path.join(dir, 'logs', 'clab-publisher.jsonl'), problem: 'disk full: no space left on the device' });
    const warnings = (await api.call('logs.query', { level: 'warn', text: 'cannot write the log file', limit: 50 })).filter((e) => e.time >= before - 60_000);
    expect(warnings).toHaveLength(1);
    expect(host!.output.join('\n')).not.toMatch(/uncaught|unhandled/i);
    expect(await api.call('hosts.list', {})).toHaveLength(1);
  });

  test('with space again, saving works and the log file catches up', async () => {
    fs.rmSync(path.join(dir, 'fill'));
    const second = await api.call('publications.add', { lab: LAB, node: 'n1', port: 80, type: 'http' });
    expect((await api.call('publications.list', {})).map((p) => p.id)).toContain(second.id);
    const status = await api.waitFor('logs.status', () => api.call('logs.status', {}), (s) => !s.problem && s, 'the log file taking entries again');
    expect(status.unwritten).toBeGreaterThan(0);
    const settings = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')) as { publications: { id: string }[] };
    expect(settings.publications.map((p) => p.id)).toContain(second.id);
  });
});

test.describe.serial('a node whose port scan never ends', () => {
  const LAB = `flood${ID}`;
  let host: TestHost | undefined;
  let lab: TestLab;

  test.afterAll(async () => {
    await host?.stop();
    await lab?.remove();
  });

  test('costs the host a capped read and a warning naming the node: memory stays under 300 MB, the host answers', async () => {
    lab = await startLab({ lab: LAB, nodes: [{ name: 'flood', setup: FLOODING_CAT }, { name: 'ok' }] });
    host = await startHost();
    const api = await RpcClient.open(host);
    const pid = host.pid;
    let peakMb = rssMb(pid);
    const sampler = setInterval(() => {
      peakMb = Math.max(peakMb, rssMb(pid));
      // The code before this fix reached 1.5 GB here: stop it early rather than let it.
      if (peakMb > 600) void host?.stop();
    }, 50);
    try {
      const name = lab.containers.find((c) => c.node === 'flood')!.name;
      const warning = await api.waitFor(
        'logs.appended',
        () => api.call('logs.query', { level: 'warn', limit: 100 }),
        (entries) => entries.find((e) => e.message.startsWith(`port scan of ${name} stopped`)),
        'the flood warning',
        30_000,
      );
      expect(warning.message).toContain('printed more than 4 MiB; showing kind hints only');
      // The other node was scanned as usual.
      const scanned = (ls: Lab[]) => ls.find((l) => l.name === LAB && l.nodes.find((n) => n.name === 'ok')?.ports.some((p) => p.port === 7 && p.source === 'listening'));
      const labs = await api.waitFor('labs.changed', () => api.call('labs.list', {}), scanned, "the ok node's listening ports");
      expect(labs.nodes.find((n) => n.name === 'flood')?.ports.every((p) => p.source === 'hint')).toBe(true);
      expect(await api.call('hosts.list', {})).toHaveLength(1);
    } finally {
      clearInterval(sampler);
      api.close();
    }
    expect(peakMb).toBeLessThan(300);
  });
});

test.describe.serial('topology files built to freeze the host', () => {
  const LAB = `bomb${ID}`;
  let dir: string;
  let file: string;
  let host: TestHost | undefined;
  let api: RpcClient;
  let pinger: RpcClient;
  let lab: TestLab;

  test.beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-bombs-'));
    file = path.join(dir, `${LAB}.clab.yml`);
    fs.writeFileSync(file, `name: ${LAB}\ntopology:\n  nodes:\n    n1:\n      kind: linux\n`);
    lab = await startLab({ lab: LAB, topoFile: file, nodes: [{ name: 'n1' }] });
    host = await startHost();
    api = await RpcClient.open(host);
    pinger = await RpcClient.open(host);
    await api.waitFor('topology.changed', () => api.call('topology.list', {}), (ts) => ts.find((t) => t.lab === LAB && t.report), 'the lab\'s file read');
  });

  test.afterAll(async () => {
    api?.close();
    pinger?.close();
    await host?.stop();
    await lab?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const nodes = (lines: string[]) => `name: ${LAB}\ntopology:\n  nodes:\n${lines.join('\n')}\n`;

  /** Writes `text` as the lab's file and waits until the host has read it (a report of these bytes, or a problem). */
  const rewrite = (text: string, refused?: RegExp) => {
    fs.writeFileSync(file, text);
    const hash = sha256(text);
    return api.waitFor(
      'topology.changed',
      () => api.call('topology.list', {}),
      (ts) => ts.find((t: LabTopologyState) => t.lab === LAB && (refused ? refused.test(t.problem?.message ?? '') : t.report?.hash === hash)),
      refused ? `the host refusing it (${refused})` : 'the host reading it',
      60_000,
    );
  };

  const bombs: [string, () => string, RegExp?][] = [
    [
      'aliases fanned out past the visit cap',
      () => {
        const keys = Array.from({ length: 1000 }, (_, i) => `k${i}: v`).join(', ');
        return `big: &big {${keys}}\n` + nodes(Array.from({ length: 6000 }, (_, i) => `    n${i}: {<<: *big, kind: linux}`));
      },
      /too costly to read: reading it takes more than 5,000,000 map entries/,
    ],
    ['a file over the size cap', () => nodes(['    n1: {kind: linux}']) + `# ${'x'.repeat(2 * 1024 * 1024)}\n`, /the file is larger than 1 MiB/],
    [
      'a merge-key fan-out, 10 wide and 8 deep',
      () => {
        const out = ['a0: &a0 {kind: linux}'];
        for (let d = 1; d <= 8; d++) out.push(`a${d}: &a${d} {<<: [${Array(10).fill(`*a${d - 1}`).join(', ')}]}`);
        return `${out.join('\n')}\n` + nodes(['    n1:', '      <<: *a8']);
      },
    ],
    ['a 200 KB line of ${a', () => nodes(['    n1:', `      kind: linux`, `      image: ${'${a'.repeat(70_000)}`])],
  ];

  for (const [what, make, refused] of bombs) {
    test(`${what}: the host answers within 100 ms throughout${refused ? ' and refuses it, saying why' : ' and reads it'}`, async () => {
      const { result, slowestMs, pings } = await slowestPingWhile(pinger, rewrite(make(), refused));
      expect(result).toBeTruthy();
      expect(pings).toBeGreaterThan(0);
      expect(slowestMs).toBeLessThan(100);
    });
  }

  test('32,000 nodes are read off the loop: the host keeps answering (the report itself is 4 MB to send)', async () => {
    const { result, slowestMs } = await slowestPingWhile(pinger, rewrite(nodes(Array.from({ length: 32_000 }, (_, i) => `    n${i}: {kind: linux}`))));
    expect(result?.report?.nodes).toHaveLength(32_000);
    // Sending every client a 4 MB report costs the loop a moment; reading the file cost it 32 s.
    expect(slowestMs).toBeLessThan(1000);
  });
});
