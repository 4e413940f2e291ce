/**
 * Core memory: RSS of a child process running the real core (bundled, plain node, after a
 * GC) with 100 idle online tunnels to 50 containers; absolute and deltas. Target < 200 MB.
 * Shares its containers and core run with the reconcile bench.
 */
import { coreScenario, NODES, PORTS } from './lib/lab-scenario';
import { failed, result, round, type BenchResult } from './lib/result';

const TARGET_MB = 200;
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

export default async function memory(): Promise<BenchResult[]> {
  const name = `core memory: RSS with ${NODES * PORTS.length} idle tunnels`;
  try {
    const { memory: m } = await coreScenario();
    return [
      result({
        name,
        unit: 'MB (MiB)',
        app: mb(m.idleTunnels.rss),
        // What the same process held before the tunnels: the core started, labs listed.
        baseline: mb(m.started.rss),
        baselines: { 'core started, no tunnels': mb(m.started.rss), 'modules loaded, before createCore': mb(m.beforeCore.rss) },
        target: `< ${TARGET_MB} MB absolute`,
        met: m.idleTunnels.rss / 1024 / 1024 < TARGET_MB,
        note: `+${mb(m.idleTunnels.rss - m.started.rss)} MB for the tunnels; heap ${mb(m.idleTunnels.heapUsed)} MB`,
        details: {
          deltaForTunnelsMB: mb(m.idleTunnels.rss - m.started.rss),
          deltaForCoreAndTunnelsMB: mb(m.idleTunnels.rss - m.beforeCore.rss),
          heapUsedMB: { beforeCore: mb(m.beforeCore.heapUsed), started: mb(m.started.heapUsed), idleTunnels: mb(m.idleTunnels.heapUsed) },
          idleMs: m.idleMs,
        },
      }),
    ];
  } catch (err) {
    return [failed(name, 'MB', `< ${TARGET_MB} MB`, err)];
  }
}
