/** CPU time of processes from /proc (Linux), to show where a transfer's cycles go. */
import fs from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * user+system CPU ms of `pid` and of its children that ended (socat forks one per connection
 * and reaps it), 0 when it is gone. Children still running are counted by their own pid.
 */
export function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** `root` and everything below it (sshd forks a process per connection). */
export function treePids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}

/** CPU ms per process group, sampled now: call the result again for the deltas. */
export function cpuMeter(groups: Record<string, () => number[]>): () => Record<string, number> {
  const take = () => Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, pids().reduce((a, p) => a + cpuMs(p), 0)]));
  const before = take();
  return () => {
    const after = take();
    return Object.fromEntries(Object.keys(groups).map((k) => [k, after[k] - before[k]]));
  };
}

export function sshdPid(dir: string): number | undefined {
  try {
    return Number(fs.readFileSync(`${dir}/sshd.pid`, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}
