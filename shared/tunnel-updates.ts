/**
 * `tunnels.updated` carries only the tunnels whose counters moved (a delta over the last
 * `tunnels.changed`). What every holder of those events needs: two deltas merged into one
 * (queues that hold events for a slow or not yet ready page), a delta applied to a list, and a
 * whole list taken without going back on any tunnel. Snapshots are ordered by their `seq`
 * (see shared/model.ts): events and answers may arrive out of order, an older snapshot never
 * replaces a newer one. Without a seq (on either side) the one that arrived last wins.
 */

type Snapshot = { id: string; seq?: number };

/** Whether `next` may replace `held`: it is not older. */
export const notOlder = (next: Snapshot, held: Snapshot): boolean => next.seq === undefined || held.seq === undefined || next.seq >= held.seq;

/** Whether `next` says something `held` does not: it is newer (a delta equal to what is held is old news). */
const newer = (next: Snapshot, held: Snapshot): boolean => next.seq === undefined || held.seq === undefined || next.seq > held.seq;

/** `later` over `earlier`, by id: each tunnel once, its newest snapshot, in first-seen order. */
export function mergeUpdates<T extends Snapshot>(earlier: readonly T[], later: readonly T[]): T[] {
  const byId = new Map(earlier.map((t) => [t.id, t]));
  for (const t of later) {
    const held = byId.get(t.id);
    if (!held || notOlder(t, held)) byId.set(t.id, t);
  }
  return [...byId.values()];
}

/**
 * The list with each updated tunnel's snapshot in its place, where it is newer than the one
 * held. Tunnels the list does not hold are left out (the list is the last `tunnels.changed`,
 * which decides which tunnels exist); when none applies, the list itself comes back.
 */
export function applyUpdates<T extends Snapshot>(list: T[], updates: readonly T[]): T[] {
  if (updates.length === 0 || list.length === 0) return list;
  const byId = new Map(updates.map((t) => [t.id, t]));
  let changed = false;
  const out = list.map((t) => {
    const u = byId.get(t.id);
    if (u === undefined || u === t || !newer(u, t)) return t;
    changed = true;
    return u;
  });
  return changed ? out : list;
}

/**
 * A whole list (`tunnels.changed`, a `tunnels.list` answer) over the one held: its tunnels, in
 * its order, but a tunnel held in a newer snapshot than the list's keeps that one (a delta that
 * came before a list that waited longer).
 */
export function keepNewer<T extends Snapshot>(held: readonly T[], list: T[]): T[] {
  if (held.length === 0) return list;
  const byId = new Map(held.map((t) => [t.id, t]));
  let kept = false;
  const out = list.map((t) => {
    const h = byId.get(t.id);
    if (h === undefined || notOlder(t, h)) return t;
    kept = true;
    return h;
  });
  return kept ? out : list;
}
