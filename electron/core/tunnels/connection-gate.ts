import type { Publication } from '../../../shared/model';
import type { PipeStats } from './connection-pipe';

/**
 * What the tunnels ask before they open a port or let a connection through. The tunnels layer
 * defines it and knows nothing behind it; the composition root plugs in the shares (expiry,
 * revocation, source allow-lists, audit). Without a gate every publication runs and every
 * connection is let through, as before.
 */
export interface ConnectionGate {
  /**
   * Why this publication must stay closed right now (its share expired or was stopped), in
   * words for the tunnel's reason; undefined when it may run. The reconciler treats a held
   * publication as closed: no listener, no forward, no socket.
   */
  hold(pub: Publication): string | undefined;
  /**
   * One public connection arrived, from `from` (`addr:port` as the provider saw it: the local
   * listener's peer, the relay channel's originator). Called before the node is dialled, so a
   * refused connection never reaches it. Must be fast: it runs for every connection.
   */
  admit(pub: Publication, from: string): GateDecision;
  /** Holds or rules changed: the reconciler looks again. */
  onChanged(listener: () => void): () => void;
}

export type GateDecision = { allowed: true; watch?: ConnectionWatch } | { allowed: false; reason: string };

/** Follows one admitted connection (the audit). Any of its calls may come without the others. */
export interface ConnectionWatch {
  /**
   * The node answered and bytes flow. `stats` is the pipe's own counter object, updated as
   * bytes pass (read it, do not keep a copy); `cut` closes the connection at once.
   */
  opened(stats: Readonly<PipeStats>, cut: () => void): void;
  /** The connection ended (`error` when it broke, or when the node could not be dialled). */
  closed(stats: PipeStats, error?: string): void;
}
