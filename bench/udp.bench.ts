/**
 * UDP request/response through a published port at 20,000 datagrams/s for 5 s: round trip p50
 * and p99 and the loss, side by side in one run: the app's forwarder with the local provider,
 * the app's forwarder over the real sshd (its helper on the relay), and socat forwarding the
 * same port (`UDP-LISTEN,fork` → `UDP`) as the baseline. The node is a UDP echo in a process of
 * its own; the client too. Targets: loss no higher than socat's, p50 within 1.2× socat's.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { bundle } from './lib/bundle';
import { cpuMeter, sshdPid, treePids } from './lib/cpu';
import { sharedSshd, startAppForwarder } from './lib/forwarders';
import { endProcess, onCleanup, TsChild, type Message } from './lib/procs';
import { failed, median, result, round, type BenchResult } from './lib/result';

const round_ = (n: number) => round(n, 1);
const RATE = 20_000;
const SECONDS = 5;
const SIZE = 64;
/** Rounds over the three paths in a rotating order, so that a noisy moment hits each alike. */
const ROUNDS = 3;

interface RunResult extends Message {
  sent: number;
  received: number;
  loss: number;
  p50: number;
  p99: number;
  max: number;
}

/** `socat UDP4-LISTEN:<port>,fork UDP4:<node>`: the same forward, in C, one child per peer. */
async function startSocat(nodePort: number): Promise<{ port: number; pid: number; stop(): Promise<void> }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    // Its own process group: socat forks a child per peer, and the children outlive their parent.
    const proc = spawn('socat', ['-d', '-d', '-T', '10', `UDP4-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `UDP4:127.0.0.1:${nodePort}`], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const stop = async () => {
      try {
        process.kill(-proc.pid!, 'SIGTERM'); // the group we created: socat and its children
      } catch {
        // gone already
      }
      await endProcess(proc, 5000, null);
    };
    const unregister = onCleanup(stop);
    const up = await new Promise<boolean>((resolve) => {
      let err = '';
      proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
        err += d;
        if (/listening on/.test(err)) resolve(true);
      });
      proc.once('exit', () => resolve(false));
      proc.once('error', () => resolve(false));
    });
    if (up) return { port, pid: proc.pid!, stop: async () => (unregister(), stop()) };
    unregister();
    await stop();
  }
  throw new Error('socat did not start (is it installed? scripts/setup-test-env.sh installs it)');
}

export default async function udp(): Promise<BenchResult[]> {
  const target = 'loss ≤ socat, p50 ≤ 1.2× socat';
  const names = ['UDP via local provider: round trip p50 at 20,000 datagrams/s', 'UDP via ssh relay: round trip p50 at 20,000 datagrams/s'];
  try {
    const relay = await sharedSshd();
    const b = bundle(path.join(__dirname, 'lib', 'udp-load-child.ts'));
    const echo = new TsChild(b.file, ['echo'], { tsx: false, env: b.env });
    const nodePort = (await echo.next<{ type: 'ready'; port: number }>('ready')).port;
    const client = new TsChild(b.file, ['load'], { tsx: false, env: b.env });
    await client.next('ready');
    const socat = await startSocat(nodePort);
    const local = await startAppForwarder('local', nodePort, undefined, 'udp');
    const ssh = await startAppForwarder('ssh', nodePort, relay, 'udp');
    const relayPid = sshdPid(relay.dir);
    // Port, and what forwards there (for its CPU time): socat and its per-peer children; the
    // app's forwarder (and, over SSH, the relay's sshd with the helper below it).
    const paths: Record<string, [number, () => number[]]> = {
      socat: [socat.port, () => treePids(socat.pid)],
      'app (local)': [local.port, () => [local.pid]],
      'app (ssh)': [ssh.port, () => [ssh.pid, ...(relayPid ? treePids(relayPid) : [])]],
    };
    const run = (port: number, seconds: number) => client.request<RunResult>({ type: 'run', port, rate: RATE, seconds, size: SIZE }, 'result', (seconds + 30) * 1000);
    // Warm-up: the peer's upstream socket (socat's child) opens, JIT and buffers settle.
    for (const [port] of Object.values(paths)) await run(port, 0.5);
    const runs: Record<string, RunResult[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
    const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
    const order = Object.keys(paths);
    for (let pass = 0; pass < ROUNDS; pass++) {
      for (let i = 0; i < order.length; i++) {
        const name = order[(i + pass) % order.length];
        const meter = cpuMeter({ forwarder: paths[name][1] });
        const r = await run(paths[name][0], SECONDS);
        runs[name].push(r);
        // CPU ms the forwarding cost per 10,000 round trips (both directions).
        cpu[name].push(round_(meter().forwarder / (r.received / 10_000)));
      }
    }
    const stat = (name: string, k: 'p50' | 'p99' | 'loss' | 'max') => median(runs[name].map((r) => r[k]));
    const ms = (v: number) => round(v, 3);
    const pct = (v: number) => round(v * 100, 3);
    const details = {
      rate: RATE,
      seconds: SECONDS,
      datagramBytes: SIZE,
      rounds: ROUNDS,
      figure: 'median over the rounds of each run\'s p50 / p99 round trip (ms) and loss (%)',
      forwarderCpuMsPer10kRoundTrips: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)])),
      runs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((r) => ({ p50: ms(r.p50), p99: ms(r.p99), max: ms(r.max), lossPct: pct(r.loss), received: r.received, sent: r.sent }))])),
    };
    const forPath = (name: string, title: string): BenchResult => {
      const ratio = stat(name, 'p50') / stat('socat', 'p50');
      const lossOk = stat(name, 'loss') <= stat('socat', 'loss');
      return result({
        name: title,
        unit: 'ms',
        app: ms(stat(name, 'p50')),
        baseline: ms(stat('socat', 'p50')),
        baselines: { socat: ms(stat('socat', 'p50')), ...Object.fromEntries(Object.keys(paths).filter((k) => k !== name && k !== 'socat').map((k) => [k, ms(stat(k, 'p50'))])) },
        ratio: round(ratio),
        target,
        met: ratio <= 1.2 && lossOk,
        note: `p99 ${ms(stat(name, 'p99'))} ms (socat ${ms(stat('socat', 'p99'))} ms); loss ${pct(stat(name, 'loss'))}% (socat ${pct(stat('socat', 'loss'))}%); forwarding CPU ${median(cpu[name])} ms per 10k round trips (socat ${median(cpu.socat)})`,
        details,
      });
    };
    return [forPath('app (local)', names[0]), forPath('app (ssh)', names[1])];
  } catch (err) {
    return names.map((n) => failed(n, 'ms', target, err));
  }
}
