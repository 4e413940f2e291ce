/**
 * WAN: the relay 25 ms away each way (a userspace delay line between the forwarder and sshd,
 * no bandwidth cap, on 127.0.0.1; see lib/delay-line.ts), the app's SSH forward vs `ssh -R`
 * through the same line:
 * - upload to the node (client → sshd → line → forwarder → node): the forwarder's receive
 *   window decides it; target app ≥ 2× ssh -R (OpenSSH's client advertises 2 MB per channel);
 * - download from the node (node → forwarder → line → sshd → client): sshd's window decides
 *   it for both; target app ≥ 1.0× ssh -R;
 * - connection set-up to a node that speaks first (connect → its first byte): target p50 ≤ one
 *   round trip (measured through a delay line of its own) + 5 ms.
 * A bare ssh2 forward (ssh2's default 2 MB window) shows what the window alone gives.
 */
import { sharedSshd, startAppForwarder, startBareForwarder, startDelayLineChild, startSshR, type RunningForward } from './lib/forwarders';
import { firstByte, pingOnce, pullBytes, pushBytes, startNodeServers, type PushResult } from './lib/net-load';
import { checkAborted } from './lib/procs';
import { failed, median, percentile, result, round, type BenchResult } from './lib/result';

const DELAY_MS = 25;
const BYTES = 256 * 1024 * 1024;
const MAX_MS = 4000; // per transfer: a window-bound path moves less in that time, the rate still counts
const REPS = 3;
const SETUPS = 40;

const NAMES = {
  up: `WAN (${DELAY_MS} ms each way): upload to the node via ssh relay, app vs ssh -R`,
  down: `WAN (${DELAY_MS} ms each way): download from the node via ssh relay, app vs ssh -R`,
  setup: `WAN (${DELAY_MS} ms each way): connection set-up p50 to a node that speaks first`,
};

export default async function wan(): Promise<BenchResult[]> {
  let setup: Awaited<ReturnType<typeof paths>>;
  try {
    setup = await paths();
  } catch (err) {
    return [failed(NAMES.up, 'MB/s', TARGETS.up, err), failed(NAMES.down, 'MB/s', TARGETS.down, err), failed(NAMES.setup, 'ms', TARGETS.setup, err)];
  }
  const { app, sshR, bare, echoLine } = setup;
  // Each measurement on its own: one that fails (the machine too busy, a path gone) is
  // reported with its reason and does not take the others with it.
  const settle = async (name: string, unit: string, target: string, fn: () => Promise<BenchResult>) => {
    try {
      return await fn();
    } catch (err) {
      return failed(name, unit, target, err);
    }
  };
  return [
    await settle(NAMES.up, 'MB/s', TARGETS.up, async () => {
      const up = await runs({ app: app.up.port, 'ssh -R': sshR.up.port, 'bare ssh2 forward (2 MB window)': bare.port }, (p) => pushBytes(p, BYTES, MAX_MS));
      const r = rates(up);
      return result({
        name: NAMES.up,
        unit: 'MB/s',
        app: r.app,
        baseline: r['ssh -R'],
        baselines: { 'ssh -R': r['ssh -R'], 'bare ssh2 forward (2 MB window)': r['bare ssh2 forward (2 MB window)'] },
        target: TARGETS.up,
        met: r.app >= 2 * r['ssh -R'],
        note: `a 2 MB window over a ${2 * DELAY_MS} ms round trip allows at most ${round((2 * 1024 * 1024) / 1e6 / ((2 * DELAY_MS) / 1000))} MB/s`,
        details: { ...COMMON, runs: detail(up) },
      });
    }),
    await settle(NAMES.down, 'MB/s', TARGETS.down, async () => {
      const down = await runs({ app: app.down.port, 'ssh -R': sshR.down.port }, (p) => pullBytes(p, BYTES, MAX_MS));
      const r = rates(down);
      return result({
        name: NAMES.down,
        unit: 'MB/s',
        app: r.app,
        baseline: r['ssh -R'],
        baselines: { 'ssh -R': r['ssh -R'] },
        target: TARGETS.down,
        met: r.app >= r['ssh -R'],
        note: "sshd's own window (2 MB) bounds both: the sender cannot change it",
        details: { ...COMMON, runs: detail(down) },
      });
    }),
    await settle(NAMES.setup, 'ms', TARGETS.setup, async () => {
      const rtt: number[] = [];
      for (let i = 0; i < 10; i++) rtt.push(await pingOnce(echoLine.port));
      const ms: Record<string, number[]> = { app: [], 'ssh -R': [] };
      for (let i = 0; i < SETUPS; i++) {
        checkAborted();
        ms.app.push(await firstByte(app.banner.port));
        ms['ssh -R'].push(await firstByte(sshR.banner.port));
      }
      const p50 = (k: string) => round(median(ms[k]), 1);
      const p90 = (k: string) => round(percentile(ms[k], 0.9), 1);
      const rttP50 = round(median(rtt), 1);
      return result({
        name: NAMES.setup,
        unit: 'ms',
        app: p50('app'),
        baseline: rttP50,
        baselines: { 'one round trip (plain TCP echo through a delay line)': rttP50, 'ssh -R': p50('ssh -R') },
        target: TARGETS.setup,
        met: p50('app') <= rttP50 + 5,
        note: `p90 app ${p90('app')} ms, ssh -R ${p90('ssh -R')} ms; an echo (client speaks first) needs two round trips over SSH: the channel must be confirmed before data flows`,
        details: { connections: SETUPS, rttMs: rtt.map((x) => round(x, 1)), p90Ms: { app: p90('app'), 'ssh -R': p90('ssh -R') } },
      });
    }),
  ];
}

const TARGETS = { up: 'app ≥ 2× ssh -R', down: 'app ≥ 1.0× ssh -R', setup: 'app p50 ≤ one round trip + 5 ms' };
const COMMON = { delayMsEachWay: DELAY_MS, bytesAskedPerTransfer: BYTES, maxMsPerTransfer: MAX_MS, transfers: REPS, figure: 'median MB/s (10^6 bytes) from the connect call to the last byte' };

/** The relay behind a delay line; the app's forwarders and `ssh -R`s to each node server through it. */
async function paths() {
  const relay = await sharedSshd();
  const nodes = await startNodeServers();
  const line = await startDelayLineChild(relay.port, DELAY_MS);
  const far = { ...relay, port: line.port };
  // The round trip itself: a plain TCP echo through a delay line of its own.
  const echoLine = await startDelayLineChild(nodes.echoPort, DELAY_MS);
  const start = async (make: (nodePort: number) => Promise<RunningForward>) => ({
    up: await make(nodes.sinkPort),
    down: await make(nodes.sourcePort),
    banner: await make(nodes.bannerPort),
  });
  return {
    app: await start((p) => startAppForwarder('ssh', p, far)),
    sshR: await start((p) => startSshR(far, p)),
    bare: await startBareForwarder('ssh2', nodes.sinkPort, far),
    echoLine,
  };
}

/** Every path `REPS` times, interleaved (a noisy moment hits them all alike). */
async function runs(ports: Record<string, number>, move: (port: number) => Promise<PushResult>): Promise<Record<string, PushResult[]>> {
  const out: Record<string, PushResult[]> = Object.fromEntries(Object.keys(ports).map((k) => [k, []]));
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, port] of Object.entries(ports)) {
      checkAborted();
      out[name].push(await move(port));
    }
  }
  return out;
}

const rates = (o: Record<string, PushResult[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(median(v.map((r) => r.mbPerS)), 1)]));
const detail = (o: Record<string, PushResult[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.map((r) => ({ mbPerS: round(r.mbPerS, 1), mb: round(r.bytes / 1e6), ms: Math.round(r.ms) }))]));
