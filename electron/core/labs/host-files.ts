import { localTopologyFs, type TopologyFs } from './topology-fs';
import { watchFile } from './file-watcher';

/**
 * A lab host's files as the topology service uses them: read, written back, and watched.
 * How a change is noticed is the host's business (inotify here, a cheap stat poll over SFTP).
 */
export interface HostFiles extends TopologyFs {
  /** Calls `onChange` after the file changed; returns the undo. Never throws. */
  watch(file: string, onChange: () => void): () => void;
}

/** This computer's files, watched through their folder. */
export const localHostFiles: HostFiles = { ...localTopologyFs, watch: (file, onChange) => watchFile(file, onChange) };
