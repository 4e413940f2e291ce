/**
 * Orders the snapshots of each tunnel within one run of the core (`Tunnel.seq`), so whoever
 * holds the list can tell an older snapshot from a newer one whatever order they arrive in:
 * a `tunnels.updated` delta that waited in a queue while a `tunnels.list` answer went ahead
 * must not put the older counters back over the newer ones.
 *
 * A tunnel gets a new stamp (from one counter for all tunnels, so a tunnel re-created under the
 * same id still counts up) only when its snapshot is taken after something of it changed; an
 * unchanged tunnel keeps its stamp, so its snapshot stays equal from list to list and the
 * renderer's keyed store keeps its row.
 */
export class SnapshotStamps {
  private last = 0;
  private readonly stamps = new Map<string, number>();
  /** Tunnels that changed since their last stamp. */
  private readonly dirty = new Set<string>();

  /** Something of tunnel `id` changed (state, counters, probe figures): its next snapshot is newer. */
  touch(id: string): void {
    // One never stamped gets its first stamp anyway (and a forgotten one stays forgotten).
    if (this.stamps.has(id)) this.dirty.add(id);
  }

  /** Sets `t.seq` (in place) and returns `t`. */
  stamp<T extends { id: string; seq?: number }>(t: T): T {
    const changed = this.dirty.delete(t.id);
    let seq = this.stamps.get(t.id);
    if (seq === undefined || changed) {
      seq = ++this.last;
      this.stamps.set(t.id, seq);
    }
    t.seq = seq;
    return t;
  }

  /** The tunnel is gone. */
  forget(id: string): void {
    this.stamps.delete(id);
    this.dirty.delete(id);
  }
}
