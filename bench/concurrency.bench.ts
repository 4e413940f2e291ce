/**
 * Concurrency: 500 connections opened at once through one tunnel, each echoing 64 KiB of
 * random bytes, every byte compared. The app's local provider and its ssh forward, with
 * `ssh -R` and plain TCP measured the same way (for scale). Target: every connection of every
 * run verified on each app path; the figure is the median run's p99 completion time. Every
 * failed echo is counted by its cause (refused, reset, short read, corrupted, stalled); one
 * that failed after the app was handed the connection (its own counter says how many it was
 * handed) is an integrity failure, which fails the whole run. One reset by the listener in
 * front before the app saw it (sshd's remote-forward backlog is 128) is reported as such.
 */
import { sharedSshd, startAppForwarder, startSshR } from './lib/forwarders';
import { checkAborted } from './lib/procs';
import { concurrentEcho, describeFailures, startNodeServers, type ConcurrentResult } from './lib/net-load';
import { failed, result, round, type BenchResult } from './lib/result';

const CONNECTIONS = 500;
const SIZE = 64 * 1024;
const REPS = 3;

export default async function concurrency(): Promise<BenchResult[]> {
  try {
    const relay = await sharedSshd();
    const nodes = await startNodeServers();
    const appLocal = await startAppForwarder('local', nodes.echoPort);
    const appSsh = await startAppForwarder('ssh', nodes.echoPort, relay);
    const paths: Record<string, number> = {
      'app (local)': appLocal.port,
      'app (ssh)': appSsh.port,
      'ssh -R': (await startSshR(relay, nodes.echoPort)).port,
      'plain TCP': nodes.echoPort,
    };
    const runs: Record<string, ConcurrentResult[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
    // How many connections each app forwarder was handed (its own counter), per run: an echo
    // that failed without ever reaching it was reset by the listener in front (sshd's, whose
    // backlog is 128), not lost by the app.
    const forwarders: Record<string, typeof appSsh> = { 'app (local)': appLocal, 'app (ssh)': appSsh };
    const handed = async (k: string) => (await forwarders[k].child.request<{ type: 'stats'; counters?: { total: number } }>({ type: 'stats' }, 'stats')).counters?.total ?? 0;
    const reached: Record<string, number[]> = { 'app (local)': [], 'app (ssh)': [] };
    for (let rep = 0; rep < REPS; rep++) {
      for (const [name, port] of Object.entries(paths)) {
        checkAborted();
        const before = name in forwarders ? await handed(name) : 0;
        runs[name].push(await concurrentEcho(port, CONNECTIONS, SIZE));
        if (name in forwarders) reached[name].push((await handed(name)) - before);
      }
    }
    // Every run must verify every connection; the figure is the median run's p99.
    const verified = (k: string) => runs[k].reduce((a, r) => a + r.verified, 0);
    const p99 = (k: string) => round([...runs[k].map((r) => r.p99Ms)].sort((a, b) => a - b)[Math.floor(REPS / 2)], 1);
    const all = (k: string) => verified(k) === CONNECTIONS * REPS;
    // The causes over every run of a path: "3 reset, 2 short read (…bytes lost)".
    const failures = (k: string) =>
      describeFailures({
        causes: runs[k].reduce<ConcurrentResult['causes']>((acc, r) => {
          for (const [c, n] of Object.entries(r.causes)) acc[c as keyof typeof acc] = (acc[c as keyof typeof acc] ?? 0) + n;
          return acc;
        }, {}),
        lostBytes: runs[k].reduce((a, r) => a + r.lostBytes, 0),
      });
    const details = Object.fromEntries(
      Object.entries(runs).map(([k, rs]) => [k, { verified: `${verified(k)}/${CONNECTIONS * REPS}`, failed: failures(k), failedPerRun: rs.map((r) => r.failed), errors: rs.map((r) => r.errors).filter((e) => Object.keys(e).length), p50Ms: rs.map((r) => round(r.p50Ms, 1)), p99Ms: rs.map((r) => round(r.p99Ms, 1)), wallMs: rs.map((r) => round(r.wallMs, 1)) }]),
    );
    // Failed echoes among the connections the app was handed: bytes the app lost.
    const lostByApp = (k: string) => runs[k].reduce((a, r, i) => a + Math.max(0, reached[k][i] - r.verified), 0);
    const neverReached = (k: string) => runs[k].reduce((a, r, i) => a + Math.min(r.failed, CONNECTIONS - reached[k][i]), 0);
    const integrity = (k: string) => (lostByApp(k) ? `${lostByApp(k)} of the ${reached[k].reduce((a, b) => a + b, 0)} connections the app was handed failed: ${failures(k)}` : undefined);
    const verdict = (k: string) => (all(k) ? '' : ` (${failures(k)}; ${neverReached(k)} never reached the app, ${lostByApp(k)} failed in it)`);
    const others = (keys: string[]) => keys.filter((k) => !all(k)).map((k) => `; ${k}: ${failures(k)}`).join('');
    // On a failure, what the app itself logged about it.
    const appLog = { 'app (local)': all('app (local)') ? [] : appLocal.problems(), 'app (ssh)': all('app (ssh)') ? [] : appSsh.problems() };
    const common = { connections: CONNECTIONS, bytesEach: SIZE, runs: REPS, perPath: details, appLog, handedToTheApp: reached };
    return [
      result({
        name: `concurrency via ssh relay: ${CONNECTIONS} × 64 KiB echo, p99 completion`,
        unit: 'ms',
        app: p99('app (ssh)'),
        baseline: p99('ssh -R'),
        baselines: { 'ssh -R': p99('ssh -R'), 'plain TCP': p99('plain TCP') },
        target: 'every byte the app was handed verified (ssh -R for scale)',
        met: !lostByApp('app (ssh)'),
        note: `verified ${details['app (ssh)'].verified}${verdict('app (ssh)')}; run p99s ${runs['app (ssh)'].map((r) => Math.round(r.p99Ms)).join(', ')} ms${others(['ssh -R', 'plain TCP'])}`,
        details: common,
        integrity: integrity('app (ssh)'),
      }),
      result({
        name: `concurrency via local provider: ${CONNECTIONS} × 64 KiB echo, p99 completion`,
        unit: 'ms',
        app: p99('app (local)'),
        baseline: p99('plain TCP'),
        baselines: { 'plain TCP': p99('plain TCP') },
        target: 'every byte the app was handed verified (plain TCP for scale)',
        met: !lostByApp('app (local)'),
        note: `verified ${details['app (local)'].verified}${verdict('app (local)')}`,
        details: { verified: details['app (local)'].verified },
        integrity: integrity('app (local)'),
      }),
    ];
  } catch (err) {
    return [failed(`concurrency: ${CONNECTIONS} × 64 KiB echo`, 'ms', 'every byte verified', err)];
  }
}
