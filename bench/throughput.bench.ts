/**
 * Throughput through a published port, client → node, measured side by side: the app's
 * forwarder over the real sshd (SshProvider → remote forward → TunnelRuntime → node) vs
 * OpenSSH `ssh -R` to the same sshd (its default cipher, and the app's cipher) vs plain TCP
 * to the node (the limit); also the local provider. Target: app ≥ 1.1× ssh -R.
 */
import { cpuMeter, sshdPid, treePids } from './lib/cpu';
import { sharedSshd, opensshCipher, ssh2Cipher, startAppForwarder, startBareForwarder, startSshR } from './lib/forwarders';
import { pushBytes, startNodeServers } from './lib/net-load';
import { failed, median, result, round, type BenchResult } from './lib/result';

const BYTES = 256 * 1024 * 1024;
const MAX_MS = 15_000; // per transfer: a slow path sends less, the rate still counts
const REPS = 5;
const GCM = 'aes128-gcm@openssh.com';

export default async function throughput(): Promise<BenchResult[]> {
  const target = 'app ≥ 1.1× ssh -R';
  try {
    const relay = await sharedSshd();
    const nodes = await startNodeServers();
    const [appSsh, appLocal, sshR, sshRGcm, bareSsh2] = [
      await startAppForwarder('ssh', nodes.sinkPort, relay),
      await startAppForwarder('local', nodes.sinkPort),
      await startSshR(relay, nodes.sinkPort),
      await startSshR(relay, nodes.sinkPort, ['-c', GCM]),
      await startBareForwarder('ssh2', nodes.sinkPort, relay),
    ];
    // Port, and the process that forwards (for its CPU time; none for plain TCP).
    const paths: Record<string, [number, number | undefined]> = {
      'app (ssh)': [appSsh.port, appSsh.pid],
      'ssh -R': [sshR.port, sshR.pid],
      [`ssh -R -c ${GCM}`]: [sshRGcm.port, sshRGcm.pid],
      'bare ssh2 forward': [bareSsh2.port, bareSsh2.pid],
      'app (local)': [appLocal.port, appLocal.pid],
      'plain TCP': [nodes.sinkPort, undefined],
    };
    const relayPid = sshdPid(relay.dir);
    const runs: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
    const cpu: Record<string, Record<string, number>> = {};
    for (const [port] of Object.values(paths)) await pushBytes(port, 16 * 1024 * 1024, MAX_MS); // warm-up
    // Interleaved so that a noisy moment hits every path alike.
    for (let rep = 0; rep < REPS; rep++) {
      for (const [name, [port, pid]] of Object.entries(paths)) {
        const meter = cpuMeter({ forwarder: () => (pid ? [pid] : []), sshd: () => (relayPid ? treePids(relayPid) : []), 'bench (client+node)': () => [process.pid] });
        const r = await pushBytes(port, BYTES, MAX_MS);
        runs[name].push(r.mbPerS);
        const used = meter();
        const perGB = (ms: number) => round(ms / (r.bytes / 1e9));
        cpu[name] = Object.fromEntries(Object.entries(used).map(([k, ms]) => [k, perGB(ms)]));
        cpu[name].wallPerGB = perGB(r.ms);
      }
    }
    const mb = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, round(median(v), 1)]));
    const details = {
      bytesPerTransfer: BYTES,
      transfersPerPath: REPS,
      figure: 'median MB/s (10^6 bytes) over the transfers',
      ciphers: { app: ssh2Cipher(), 'ssh -R': opensshCipher(), [`ssh -R -c ${GCM}`]: GCM, 'bare ssh2 forward': ssh2Cipher() },
      cpuMsPerGB: cpu,
      cpuNote: 'CPU ms per GB moved, last transfer of each path, from /proc; wallPerGB is the elapsed time per GB (2 cores)',
      runs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((x) => round(x, 1))])),
    };
    const appRatio = mb['app (ssh)'] / mb['ssh -R'];
    return [
      result({
        name: 'throughput via ssh relay: app vs ssh -R',
        unit: 'MB/s',
        app: mb['app (ssh)'],
        baseline: mb['ssh -R'],
        baselines: { 'ssh -R': mb['ssh -R'], [`ssh -R -c ${GCM}`]: mb[`ssh -R -c ${GCM}`], 'bare ssh2 forward': mb['bare ssh2 forward'], 'plain TCP': mb['plain TCP'] },
        target,
        met: appRatio >= 1.1,
        note: `ciphers: app ${ssh2Cipher()}, ssh ${opensshCipher()}; same cipher: ${round(mb['app (ssh)'] / mb[`ssh -R -c ${GCM}`])}×; forwarder CPU ${Math.round(cpu['app (ssh)'].forwarder)} vs ${Math.round(cpu[`ssh -R -c ${GCM}`].forwarder)} ms/GB (ssh, same cipher)`,
        details: { ...details, ratioSameCipher: round(mb['app (ssh)'] / mb[`ssh -R -c ${GCM}`]) },
      }),
      result({
        name: 'throughput via local provider: app vs plain TCP',
        unit: 'MB/s',
        app: mb['app (local)'],
        baseline: mb['plain TCP'],
        baselines: { 'plain TCP': mb['plain TCP'] },
        target: 'informational (plain TCP is the limit)',
        met: true,
        note: `forwarder CPU ${Math.round(cpu['app (local)'].forwarder)} ms/GB`,
      }),
    ];
  } catch (err) {
    return [failed('throughput via ssh relay: app vs ssh -R', 'MB/s', target, err)];
  }
}
