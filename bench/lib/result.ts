/** The one shape every comparison reports, plus the small statistics the benches share. */

export interface BenchResult {
  name: string;
  unit: string;
  /** The app's figure. */
  app: number | null;
  /** The main comparator (what `ratio` divides by); null when there is none. */
  baseline: number | null;
  /** Every comparator measured side by side in the same run, by name. */
  baselines: Record<string, number | null>;
  /** app / baseline, 2 decimals; null without a baseline. */
  ratio: number | null;
  target: string;
  met: boolean;
  /** One line for the README table: what the figure means or what explains it. */
  note?: string;
  /** Counts, settings and raw figures that explain the result. */
  details?: Record<string, unknown>;
  error?: string;
  /** Set when bytes were lost or corrupted on an app path: a failure of the run, not a figure. */
  integrity?: string;
}

export const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], q: number): number {
  if (!samples.length) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export const median = (samples: number[]): number => percentile(samples, 0.5);

export function ratioOf(app: number | null, baseline: number | null): number | null {
  return app === null || baseline === null || baseline === 0 ? null : round(app / baseline);
}

export function result(r: Omit<BenchResult, 'ratio' | 'baseline'> & { baseline?: number | null; ratio?: number | null }): BenchResult {
  const baseline = r.baseline ?? null;
  return { ...r, baseline, ratio: r.ratio !== undefined ? r.ratio : ratioOf(r.app, baseline) };
}

/** A bench that could not run (missing prerequisite, or it threw): reported, never fatal. */
export function failed(name: string, unit: string, target: string, error: unknown): BenchResult {
  const message = error instanceof Error ? error.message : String(error);
  return { name, unit, app: null, baseline: null, baselines: {}, ratio: null, target, met: false, error: message };
}
