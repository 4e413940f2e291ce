/**
 * Throughput through a published port, client → node, every path measured side by side in
 * the same run, interleaved (a noisy moment hits them all alike):
 * - over the real sshd: the app's forwarder (SshProvider → remote forward → TunnelRuntime →
 *   node) vs OpenSSH `ssh -R` (its default cipher, and the app's cipher) vs a bare ssh2
 *   forward (ssh2 alone, no app code);
 * - on this computer: the app's local provider vs `socat` vs a bare Node pipe() forwarder;
 * - plain TCP to the node, the limit.
 * Targets: app ≥ 1.1× ssh -R and ≥ 0.9× ssh -R at the same cipher; app ≥ 0.95× the bare ssh2
 * forward (≤ 5 % overhead); forwarder CPU per GB ≤ OpenSSH's at the same cipher; local
 * provider ≥ 1.0× socat and ≥ 0.95× a bare Node pipe(). Every transfer's bytes are counted by
 * the node: a short count is an integrity failure of the run.
 */
import { cpuMeter, sshdPid, treePids } from './lib/cpu';
import { sharedSshd, opensshCipher, ssh2Cipher, startAppForwarder, startBareForwarder, startSocat, startSshR } from './lib/forwarders';
import { pushBytes, startNodeServers } from './lib/net-load';
import { checkAborted } from './lib/procs';
import { failed, median, result, round, type BenchResult } from './lib/result';

const BYTES = 256 * 1024 * 1024;
const MAX_MS = 10_000; // per transfer: a slow path sends less, the rate still counts
const REPS = 5;
const GCM = 'aes128-gcm@openssh.com';
const SAME = `ssh -R -c ${GCM}`;

export default async function throughput(): Promise<BenchResult[]> {
  const relay = await sharedSshd().catch((err: Error) => err);
  if (relay instanceof Error) return [failed('throughput via ssh relay: app vs ssh -R', 'MB/s', 'app ≥ 1.1× ssh -R', relay)];
  try {
    const nodes = await startNodeServers();
    const sink = nodes.sinkPort;
    // Port, and the process that forwards (its CPU time; socat forks one per connection).
    const paths: Record<string, { port: number; pids: () => number[] }> = {};
    const add = (name: string, f: { port: number; pid: number }, tree = false) => (paths[name] = { port: f.port, pids: () => (tree ? treePids(f.pid) : [f.pid]) });
    add('app (ssh)', await startAppForwarder('ssh', sink, relay));
    add('ssh -R', await startSshR(relay, sink));
    add(SAME, await startSshR(relay, sink, ['-c', GCM]));
    add('bare ssh2 forward', await startBareForwarder('ssh2', sink, relay));
    add('app (local)', await startAppForwarder('local', sink));
    add('socat', await startSocat(sink), true);
    add('bare Node pipe()', await startBareForwarder('relay', sink));
    paths['plain TCP'] = { port: sink, pids: () => [] };

    const relayPid = sshdPid(relay.dir);
    const runs: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
    const cpu: Record<string, Record<string, number[]>> = Object.fromEntries(Object.keys(paths).map((k) => [k, { forwarder: [], sshd: [], 'bench (client+node)': [] }]));
    const lost: string[] = [];
    for (const { port } of Object.values(paths)) await pushBytes(port, 16 * 1024 * 1024, MAX_MS); // warm-up
    for (let rep = 0; rep < REPS; rep++) {
      for (const [name, { port, pids }] of Object.entries(paths)) {
        checkAborted();
        const meter = cpuMeter({ forwarder: pids, sshd: () => (relayPid ? treePids(relayPid) : []), 'bench (client+node)': () => [process.pid] });
        try {
          const r = await pushBytes(port, BYTES, MAX_MS);
          runs[name].push(r.mbPerS);
          for (const [k, ms] of Object.entries(meter())) cpu[name][k].push(ms / (r.bytes / 1e9));
        } catch (err) {
          lost.push(`${name}: ${(err as Error).message}`);
        }
      }
    }
    const mb = (k: string) => (runs[k].length ? round(median(runs[k]), 1) : null);
    const cpuPerGB = (k: string, who = 'forwarder') => (cpu[k][who].length ? Math.round(median(cpu[k][who])) : null);
    const ratio = (a: string, b: string) => {
      const x = mb(a);
      const y = mb(b);
      return x === null || y === null || y === 0 ? NaN : x / y;
    };
    const details = {
      bytesPerTransfer: BYTES,
      transfersPerPath: REPS,
      figure: 'median MB/s (10^6 bytes) over the transfers',
      ciphers: { app: ssh2Cipher(), 'ssh -R': opensshCipher(), [SAME]: GCM, 'bare ssh2 forward': ssh2Cipher() },
      cpuMsPerGB: Object.fromEntries(Object.keys(paths).map((k) => [k, Object.fromEntries(Object.keys(cpu[k]).map((w) => [w, cpuPerGB(k, w)]))])),
      cpuNote: 'CPU ms per GB moved (median over the transfers), from /proc',
      runs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((x) => round(x, 1))])),
      failedTransfers: lost,
    };
    const integrity = lost.some((l) => l.startsWith('app')) ? `transfers that lost bytes: ${lost.filter((l) => l.startsWith('app')).join('; ')}` : undefined;
    const sshBase = { 'ssh -R': mb('ssh -R'), [SAME]: mb(SAME), 'bare ssh2 forward': mb('bare ssh2 forward'), 'plain TCP': mb('plain TCP') };
    const localBase = { socat: mb('socat'), 'bare Node pipe()': mb('bare Node pipe()'), 'plain TCP': mb('plain TCP') };
    const appCpu = cpuPerGB('app (ssh)');
    const sshCpu = cpuPerGB(SAME);
    return [
      result({
        name: 'throughput via ssh relay: app vs ssh -R',
        unit: 'MB/s',
        app: mb('app (ssh)'),
        baseline: mb('ssh -R'),
        baselines: sshBase,
        target: 'app ≥ 1.1× ssh -R',
        met: ratio('app (ssh)', 'ssh -R') >= 1.1,
        note: `ciphers: app ${ssh2Cipher()}, ssh ${opensshCipher()}`,
        details,
        integrity,
      }),
      result({
        name: 'throughput via ssh relay: app vs ssh -R at the same cipher',
        unit: 'MB/s',
        app: mb('app (ssh)'),
        baseline: mb(SAME),
        baselines: { [SAME]: mb(SAME) },
        target: 'app ≥ 0.9× ssh -R (same cipher)',
        met: ratio('app (ssh)', SAME) >= 0.9,
      }),
      result({
        name: "throughput via ssh relay: app's overhead over a bare ssh2 forward",
        unit: 'MB/s',
        app: mb('app (ssh)'),
        baseline: mb('bare ssh2 forward'),
        baselines: { 'bare ssh2 forward': mb('bare ssh2 forward') },
        target: 'app ≥ 0.95× bare ssh2 forward (≤ 5 % overhead)',
        met: ratio('app (ssh)', 'bare ssh2 forward') >= 0.95,
        note: `forwarder CPU ${appCpu} vs ${cpuPerGB('bare ssh2 forward')} ms/GB (bare ssh2)`,
      }),
      result({
        name: 'forwarder CPU per GB via ssh relay: app vs ssh -R (same cipher)',
        unit: 'ms/GB',
        app: appCpu,
        baseline: sshCpu,
        baselines: { [SAME]: sshCpu, 'ssh -R': cpuPerGB('ssh -R'), 'bare ssh2 forward': cpuPerGB('bare ssh2 forward') },
        target: "app ≤ OpenSSH's (same cipher)",
        met: appCpu !== null && sshCpu !== null && appCpu <= sshCpu,
        note: `sshd ${cpuPerGB('app (ssh)', 'sshd')} ms/GB serving the app, ${cpuPerGB(SAME, 'sshd')} serving ssh -R`,
      }),
      result({
        name: 'throughput via local provider: app vs socat',
        unit: 'MB/s',
        app: mb('app (local)'),
        baseline: mb('socat'),
        baselines: localBase,
        target: 'app ≥ 1.0× socat',
        met: ratio('app (local)', 'socat') >= 1.0,
        note: `forwarder CPU ${cpuPerGB('app (local)')} ms/GB, socat ${cpuPerGB('socat')}, bare Node pipe() ${cpuPerGB('bare Node pipe()')}`,
      }),
      result({
        name: 'throughput via local provider: app vs a bare Node pipe() forwarder',
        unit: 'MB/s',
        app: mb('app (local)'),
        baseline: mb('bare Node pipe()'),
        baselines: { 'bare Node pipe()': mb('bare Node pipe()') },
        target: 'app ≥ 0.95× bare Node pipe()',
        met: ratio('app (local)', 'bare Node pipe()') >= 0.95,
      }),
    ];
  } catch (err) {
    return [failed('throughput via ssh relay: app vs ssh -R', 'MB/s', 'app ≥ 1.1× ssh -R', err)];
  }
}
