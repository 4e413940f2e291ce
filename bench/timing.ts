/** Timing helpers shared by the benchmarks. */
import { performance } from 'node:perf_hooks';

export interface Timing {
  iterations: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

/** Runs `fn` `warmup` times unmeasured (JIT, file cache), then `iterations` times measured. */
export async function measure(fn: () => Promise<unknown>, iterations: number, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)];
  const round = (n: number) => Math.round(n * 100) / 100;
  return { iterations, medianMs: round(at(0.5)), p95Ms: round(at(0.95)), minMs: round(ms[0]), maxMs: round(ms[ms.length - 1]) };
}
