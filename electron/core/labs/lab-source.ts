import type { Lab, LabHostStatus } from '../../../shared/model';

/**
 * Where labs come from: one per lab host (local Docker now, ssh:// hosts later). Driven by the
 * Docker event stream; reconnects by itself when Docker goes away and comes back.
 */
export interface LabSource {
  readonly hostId: string;
  /** Current snapshot; cheap, no I/O. */
  labs(): Lab[];
  status(): LabHostStatus;
  /** Called after the snapshot or the status changed. */
  onChanged(listener: () => void): () => void;
  start(): Promise<void>;
  dispose(): Promise<void>;
}
