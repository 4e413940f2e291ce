/**
 * Containers of a bench run: every container and network a bench creates carries the run's
 * label, so whatever a bench could not remove itself (it ran past its time, it crashed, the
 * runner was killed) is found and removed by label, a few at a time: after each bench, at the
 * end of the run, and at the start of the next run for runs whose process is gone.
 */
import Docker from 'dockerode';
import { inBatches, removeQuietly, startLab, type StartLabOptions, type TestLab } from '../../test-support/lab-containers';
import { benchSignal, onCleanup } from './procs';
import { alive } from './tmp';

export const RUN_LABEL = 'clab-publisher-bench-run';
/** Containers created or removed at once: the shared daemon wedged under unbounded bursts. */
export const DOCKER_PARALLEL = 4;

/** startLab with the run's label, bounded batches, the bench's abort signal and clean-up. */
export async function benchLab(opts: Omit<StartLabOptions, 'labels' | 'parallel' | 'signal'>): Promise<TestLab> {
  const lab = await startLab({ ...opts, labels: { [RUN_LABEL]: String(process.pid) }, parallel: DOCKER_PARALLEL, signal: benchSignal() });
  onCleanup(() => lab.remove());
  return lab;
}

/** Removes what carries the label of run `pid` (default: this run), or of any run no longer alive. */
export async function sweepContainers(which: 'this run' | 'dead runs' = 'this run'): Promise<number> {
  const docker = new Docker();
  const mine = (labels: Record<string, string> | undefined) => {
    const pid = Number(labels?.[RUN_LABEL]);
    return which === 'this run' ? pid === process.pid : !!pid && pid !== process.pid && !alive(pid);
  };
  try {
    const containers = (await docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } })).filter((c) => mine(c.Labels));
    await inBatches(containers, DOCKER_PARALLEL, (c) => removeQuietly(docker.getContainer(c.Id)).catch(() => undefined));
    const networks = (await docker.listNetworks({ filters: { label: [RUN_LABEL] } })).filter((n) => mine(n.Labels));
    await inBatches(networks, DOCKER_PARALLEL, (n) => docker.getNetwork(n.Id).remove().catch(() => undefined));
    if (containers.length) console.error(`bench: removed ${containers.length} container(s) left behind (${which})`);
    return containers.length;
  } catch (err) {
    // No Docker here: the benches that need it report that themselves.
    console.error(`bench: could not sweep containers: ${(err as Error).message}`);
    return 0;
  }
}
