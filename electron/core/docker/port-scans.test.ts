/**
 * The port scan reads a node's socket tables with `docker exec cat …`. A node is someone
 * else's machine: one whose `cat` prints forever took the core from 74 MB to 1.5 GB. The
 * scan reads at most its cap, hangs up, and says so, naming the node; a cancelled scan hangs
 * up at once. (Docker cannot stop an exec'd process: the `cat` keeps printing in the node,
 * so that run is not scanned again.) Real Docker, real containers.
 */
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOODING_CAT, STUCK_CAT, startLab, type TestLab } from '../../../test-support/lab-containers';
import { waitFor } from '../../../test-support/wait-for';
import { LogStore } from '../logs/log-store';
import type { ListeningPorts } from './container-to-node';
import { PortScans } from './port-scans';

const LAB = `pscan${process.pid}`;
const docker = new Docker();
let lab: TestLab;
let logs: LogStore;

beforeAll(async () => {
  lab = await startLab({ lab: LAB, nodes: [{ name: 'flood', setup: FLOODING_CAT }, { name: 'stuck', setup: STUCK_CAT }, { name: 'ok' }] });
  logs = new LogStore();
  await lab.waitForPorts('ok', [7, 80]);
});
afterAll(async () => {
  logs?.dispose();
  await lab?.remove();
});

const idOf = (node: string) => lab.containers.find((c) => c.node === node)!.id;
const nameOf = (node: string) => lab.containers.find((c) => c.node === node)!.name;

/** The `comm` processes running in the node (busybox ps): a replaced `cat` runs as `yes` or `sleep`. */
async function processesIn(node: string, comm: string): Promise<number> {
  const exec = await docker.getContainer(idOf(node)).exec({ Cmd: ['ps', '-o', 'comm'], AttachStdout: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    stream.on('data', (b: Buffer) => chunks.push(b));
    stream.on('end', resolve);
  });
  return Buffer.concat(chunks).toString('latin1').split('\n').filter((l) => l.trim() === comm).length;
}

describe('port scans of a node whose cat prints forever', () => {
  it('stop at the cap and warn, naming the node; other nodes are scanned as usual', async () => {
    const found = new Map<string, ListeningPorts>();
    const scans = new PortScans(docker, logs.logger('docker'), (id, ports) => found.set(id, ports));
    // Running for a minute already: one scan each, now.
    scans.begin(idOf('flood'), nameOf('flood'), Date.now() - 60_000);
    scans.begin(idOf('ok'), nameOf('ok'), Date.now() - 60_000);
    const warning = await waitFor(
      (l) => logs.events.on('appended', l),
      () => logs.query({ limit: 100, level: 'warn' }).find((e) => e.message.startsWith(`port scan of ${nameOf('flood')} stopped`)),
      'the flood warning',
      20_000,
    );
    expect(warning.message).toBe(`port scan of ${nameOf('flood')} stopped: its socket tables (/proc/net/tcp, /proc/net/tcp6, /proc/net/udp, /proc/net/udp6) printed more than 4 MiB; showing kind hints only`);
    await scans.idle();
    expect(found.get(idOf('ok'))?.tcp).toEqual(expect.arrayContaining([7, 80, 8080]));
    expect(found.has(idOf('flood'))).toBe(false);
    scans.cancelAll();
  });

  it('hang up at once when cancelled (a node stopped, the core shuts down), and say nothing after', async () => {
    const scans = new PortScans(docker, logs.logger('docker'), () => undefined);
    const before = logs.query({ limit: 10_000 }).length;
    const sleepers = await processesIn('stuck', 'sleep');
    scans.begin(idOf('stuck'), nameOf('stuck'), Date.now() - 60_000);
    // The exec runs: its `cat` waits in the node, and the scan with it.
    await expect.poll(() => processesIn('stuck', 'sleep'), { timeout: 10_000 }).toBeGreaterThan(sleepers);
    const started = performance.now();
    scans.cancelAll();
    await scans.idle();
    // Well before the exec's own 5 s time limit: cancelling hung up.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(logs.query({ limit: 10_000 }).slice(before)).toEqual([]);
  });
});
