/**
 * `tunnels.updated` carries only the tunnels whose counters moved (a delta over the last
 * `tunnels.changed`). What every holder of those events needs: two deltas merged into one
 * (queues that hold events for a slow or not yet ready page), and a delta applied to a list.
 */

/** `later` over `earlier`, by id: each tunnel once, its newest snapshot, in first-seen order. */
export function mergeUpdates<T extends { id: string }>(earlier: readonly T[], later: readonly T[]): T[] {
  const byId = new Map(earlier.map((t) => [t.id, t]));
  for (const t of later) byId.set(t.id, t);
  return [...byId.values()];
}

/**
 * The list with each updated tunnel's snapshot in its place. Tunnels the list does not hold
 * are left out (the list is the last `tunnels.changed`, which decides which tunnels exist); when
 * none applies, the list itself comes back.
 */
export function applyUpdates<T extends { id: string }>(list: T[], updates: readonly T[]): T[] {
  if (updates.length === 0 || list.length === 0) return list;
  const byId = new Map(updates.map((t) => [t.id, t]));
  let changed = false;
  const out = list.map((t) => {
    const u = byId.get(t.id);
    if (u === undefined || u === t) return t;
    changed = true;
    return u;
  });
  return changed ? out : list;
}
