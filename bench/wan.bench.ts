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
  try {
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
    const app = await start((p) => startAppForwarder('ssh', p, far));
    const sshR = await start((p) => startSshR(far, p));
    const bare = await startBareForwarder('ssh2', nodes.sinkPort, far);

    const rtt: number[] = [];
    for (let i = 0; i < 10; i++) rtt.push(await pingOnce(echoLine.port));

    const runs = async (paths: Record<string, number>, move: (port: number) => Promise<PushResult>) => {
      const out: Record<string, PushResult[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
      for (let rep = 0; rep < REPS; rep++) {
        for (const [name, port] of Object.entries(paths)) {
          checkAborted();
          out[name].push(await move(port));
        }
      }
      return out;
    };
    const up = await runs({ app: app.up.port, 'ssh -R': sshR.up.port, 'bare ssh2 forward (2 MB window)': bare.port }, (p) => pushBytes(p, BYTES, MAX_MS));
    const down = await runs({ app: app.down.port, 'ssh -R': sshR.down.port }, (p) => pullBytes(p, BYTES, MAX_MS));

    const setup: Record<string, number[]> = { app: [], 'ssh -R': [] };
    for (let i = 0; i < SETUPS; i++) {
      checkAborted();
      setup.app.push(await firstByte(app.banner.port));
      setup['ssh -R'].push(await firstByte(sshR.banner.port));
    }

    const rate = (rs: PushResult[]) => round(median(rs.map((r) => r.mbPerS)), 1);
    const rates = (o: Record<string, PushResult[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, rate(v)]));
    const detail = (o: Record<string, PushResult[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.map((r) => ({ mbPerS: round(r.mbPerS, 1), mb: round(r.bytes / 1e6), ms: Math.round(r.ms) }))]));
    const upR = rates(up);
    const downR = rates(down);
    const rttP50 = round(median(rtt), 1);
    const setupP50 = (k: string) => round(median(setup[k]), 1);
    const common = { delayMsEachWay: DELAY_MS, bytesAskedPerTransfer: BYTES, maxMsPerTransfer: MAX_MS, transfers: REPS, figure: 'median MB/s (10^6 bytes) from the connect call to the last byte' };
    return [
      result({
        name: NAMES.up,
        unit: 'MB/s',
        app: upR.app,
        baseline: upR['ssh -R'],
        baselines: { 'ssh -R': upR['ssh -R'], 'bare ssh2 forward (2 MB window)': upR['bare ssh2 forward (2 MB window)'] },
        target: 'app ≥ 2× ssh -R',
        met: upR.app >= 2 * upR['ssh -R'],
        note: `a 2 MB window over a ${2 * DELAY_MS} ms round trip allows at most ${round((2 * 1024 * 1024) / 1e6 / ((2 * DELAY_MS) / 1000))} MB/s`,
        details: { ...common, runs: detail(up) },
      }),
      result({
        name: NAMES.down,
        unit: 'MB/s',
        app: downR.app,
        baseline: downR['ssh -R'],
        baselines: { 'ssh -R': downR['ssh -R'] },
        target: 'app ≥ 1.0× ssh -R',
        met: downR.app >= downR['ssh -R'],
        note: "sshd's own window (2 MB) bounds both: the sender cannot change it",
        details: { ...common, runs: detail(down) },
      }),
      result({
        name: NAMES.setup,
        unit: 'ms',
        app: setupP50('app'),
        baseline: rttP50,
        baselines: { 'one round trip (plain TCP echo through a delay line)': rttP50, 'ssh -R': setupP50('ssh -R') },
        target: 'app p50 ≤ one round trip + 5 ms',
        met: setupP50('app') <= rttP50 + 5,
        note: `p90 app ${round(percentile(setup.app, 0.9), 1)} ms, ssh -R ${round(percentile(setup['ssh -R'], 0.9), 1)} ms; an echo (client speaks first) needs two round trips over SSH: the channel must be confirmed before data flows`,
        details: { connections: SETUPS, rttMs: rtt.map((x) => round(x, 1)), p90Ms: { app: round(percentile(setup.app, 0.9), 1), 'ssh -R': round(percentile(setup['ssh -R'], 0.9), 1) } },
      }),
    ];
  } catch (err) {
    return [failed(NAMES.up, 'MB/s', 'app ≥ 2× ssh -R', err), failed(NAMES.down, 'MB/s', 'app ≥ 1.0× ssh -R', err), failed(NAMES.setup, 'ms', 'app p50 ≤ one round trip + 5 ms', err)];
  }
}
