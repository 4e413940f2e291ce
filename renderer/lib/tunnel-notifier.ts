import type { Tunnel, TunnelState } from '../../shared/model';

export interface TunnelNotice {
  tunnel: Tunnel;
  kind: 'down' | 'up';
}

interface Deps {
  show(n: TunnelNotice): void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  /** At most one notice per tunnel in this window. */
  windowMs?: number;
}

type Health = 'up' | 'down';

/** Only these count: a node stopped on purpose (waiting-for-node) or a tunnel starting is no news. */
function health(s: TunnelState): Health | null {
  if (s === 'online') return 'up';
  if (s === 'failed' || s === 'reconnecting' || s === 'degraded') return 'down';
  return null;
}

interface Track {
  tunnel: Tunnel;
  /** Last up/down seen (states in between, like connecting, leave it). */
  health: Health | null;
  shown: Health | null;
  shownAt: number;
  timer?: unknown;
}

/**
 * Turns tunnel lists into "went down" (online → failed / reconnecting / degraded) and "back
 * online" notices, at most one per tunnel per window. A change inside the window is shown at
 * its end if it still holds, so a quick down-and-up never leaves a stale "down" behind.
 */
export class TunnelNotifier {
  private readonly tracks = new Map<string, Track>();
  private readonly d: Required<Deps>;

  constructor(deps: Deps) {
    this.d = { now: Date.now, setTimer: (fn, ms) => setTimeout(fn, ms), clearTimer: (t) => clearTimeout(t as number), windowMs: 30_000, ...deps };
  }

  update(tunnels: readonly Tunnel[]): void {
    const seen = new Set<string>();
    for (const t of tunnels) {
      seen.add(t.id);
      const h = health(t.state);
      const track = this.tracks.get(t.id);
      if (!track) {
        // First sight (start-up, a new publication): remember, do not announce.
        this.tracks.set(t.id, { tunnel: t, health: h, shown: null, shownAt: -Infinity });
        continue;
      }
      track.tunnel = t;
      if (!h || h === track.health) continue;
      const was = track.health;
      track.health = h;
      // "Back" needs a "down" before it; the first "online" after starting is not news.
      if (was !== null || h === 'down') this.consider(track);
    }
    for (const [id, track] of this.tracks) {
      if (seen.has(id)) continue;
      if (track.timer !== undefined) this.d.clearTimer(track.timer);
      this.tracks.delete(id);
    }
  }

  dispose(): void {
    for (const t of this.tracks.values()) if (t.timer !== undefined) this.d.clearTimer(t.timer);
    this.tracks.clear();
  }

  private consider(track: Track): void {
    const wait = track.shownAt + this.d.windowMs - this.d.now();
    if (wait <= 0) return this.emit(track);
    track.timer ??= this.d.setTimer(() => {
      track.timer = undefined;
      if (this.tracks.get(track.tunnel.id) === track && track.health !== track.shown) this.emit(track);
    }, wait);
  }

  private emit(track: Track): void {
    const kind = track.health!;
    track.shown = kind;
    track.shownAt = this.d.now();
    this.d.show({ tunnel: track.tunnel, kind });
  }
}
