import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * A JSON settings file under the data folder, one top-level key per owner (publications,
 * providers, knownHosts, ...). Each write replaces the file atomically (write-file-atomic:
 * a temporary file beside it, fsynced, renamed over), so a crash leaves the old file or the
 * new one, never half of one; the file is 0600 because it names hosts and key paths.
 */
export class SettingsStore {
  private data: Record<string, unknown> = {};
  readonly file: string;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = path.join(dataDir, 'settings.json');
    if (fs.existsSync(this.file)) {
      const text = fs.readFileSync(this.file, 'utf8');
      try {
        this.data = JSON.parse(text) as Record<string, unknown>;
      } catch (err) {
        // Keep the unreadable file for the user instead of silently starting empty over it.
        const aside = `${this.file}.unreadable-${Date.now()}`;
        fs.renameSync(this.file, aside);
        throw new Error(`settings file ${this.file} is not valid JSON (${(err as Error).message}); it was moved to ${aside}`);
      }
    }
  }

  get<T>(key: string, fallback: T): T {
    return key in this.data ? (structuredClone(this.data[key]) as T) : fallback;
  }

  /** Saves at once; when the write fails, it throws and the settings stay as they were. */
  set(key: string, value: unknown): void {
    const next = { ...this.data, [key]: structuredClone(value) };
    writeFileAtomic.sync(this.file, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
    this.data = next;
  }
}
