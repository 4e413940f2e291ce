/**
 * Structural sharing for lists the core resends whole: each item of `next` that equals the
 * item with the same key in `prev` is replaced by that previous object, and when nothing
 * changed at all the previous array itself comes back. Components that compare by identity
 * (memo, zustand selectors) then skip what did not change: with 1,000 tunnels of which a few
 * dozen moved, only those rows render again.
 */
export function keepUnchanged<T>(prev: readonly T[], next: T[], key: (item: T) => string): T[] {
  if (prev.length === 0) return next;
  const before = new Map<string, T>();
  for (const item of prev) before.set(key(item), item);
  let same = prev.length === next.length;
  const out = next.map((item, i) => {
    const old = before.get(key(item));
    const kept = old !== undefined && sameJson(old, item) ? old : item;
    if (kept !== prev[i]) same = false;
    return kept;
  });
  return same ? (prev as T[]) : out;
}

/** Deep equality of JSON-shaped data (what arrives over the contract): objects, arrays, primitives. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
