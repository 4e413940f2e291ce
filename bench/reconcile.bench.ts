/**
 * Reconcile: 100 publications (ports 7 and 8080 of 50 real labelled containers) requested
 * through core.dispatch('publications.add') of the real core → every tunnel online
 * (tunnels.changed). Target < 5 s. Details: one echo through the first and last tunnel
 * (right after, after idling, and straight to the container for scale) and the core's
 * event-loop delay meanwhile.
 */
import { coreScenario, NODES, PORTS } from './lib/lab-scenario';
import { failed, result, round, type BenchResult } from './lib/result';

const TARGET_MS = 5000;

export default async function reconcile(): Promise<BenchResult[]> {
  const name = `reconcile: ${NODES * PORTS.length} publications on ${NODES} containers → all tunnels online`;
  try {
    const s = await coreScenario();
    return [
      result({
        name,
        unit: 'ms',
        app: round(s.onlineMs, 1),
        baselines: {},
        target: `< ${TARGET_MS} ms`,
        met: s.onlineMs < TARGET_MS,
        note: `first/last tunnel echo ${s.echoMs.online.map((x) => Math.round(x)).join('/')} ms right after (direct ${s.echoMs.onlineDirect.map((x) => Math.round(x)).join('/')} ms), ${s.echoMs.afterIdle.map((x) => round(x, 1)).join('/')} ms after ${s.memory.idleMs / 1000} s idle; core loop delay max ${Math.round(s.loopDelayMs.max)} ms`,
        details: {
          publications: s.publications,
          containers: s.containers,
          allRequestsAnsweredMs: round(s.requestedMs, 1),
          echoThroughFirstAndLastTunnelMs: Object.fromEntries(Object.entries(s.echoMs).map(([k, v]) => [k, v.map((x) => round(x, 2))])),
          coreEventLoopDelayMs: { max: round(s.loopDelayMs.max, 1), p99: round(s.loopDelayMs.p99, 1) },
          createContainersMs: round(s.createContainersMs),
        },
      }),
    ];
  } catch (err) {
    return [failed(name, 'ms', `< ${TARGET_MS} ms`, err)];
  }
}
