import fs from 'node:fs';
import path from 'node:path';

/**
 * Calls `onChange` (debounced) when a file changes. Watches the folder, not the file: editors
 * save by writing a new file and renaming it over the old one, which a file watch would miss.
 */
export function watchFile(file: string, onChange: () => void, debounceMs = 150): () => void {
  const base = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(path.dirname(file), (_event, name) => {
      if (name !== null && name.toString() !== base) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // The folder is not there (e.g. a label naming a path on another machine): nothing to watch.
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
