/**
 * What a topology file may cost. containerlab topologies are kilobytes (a 1000-node lab is
 * about 100 KB), and the files are read by themselves when a lab is deployed: a file that
 * is hostile or broken must cost at most itself, never the host's responsiveness.
 */

/** Bytes read from a topology file; a larger one is refused unread. */
export const MAX_TOPOLOGY_BYTES = 1024 * 1024;

/**
 * Map entries and list items the reader may visit, merge keys and aliases included. A real
 * file visits each of its entries a few times (well under a million for a 1 MiB file); a
 * merge-key or alias fan-out visits the same entries again and again, and is refused here.
 */
export const MAX_TREE_VISITS = 5_000_000;

/** Wall time for analysing one file in its worker, which is terminated past it. */
export const PARSE_BUDGET_MS = 10_000;

/** Heap for that worker: the yaml library's tree for a 1 MiB file needs well under this. */
export const PARSE_WORKER_HEAP_MB = 256;

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}
