import fs from 'node:fs';
import path from 'node:path';

/**
 * A JSON settings file under the data folder, one top-level key per owner (publications,
 * providers, knownHosts, ...). Writes are atomic (temp file + rename) so a crash never leaves
 * a half-written file, and the file is 0600 because it names hosts and key paths.
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

  set(key: string, value: unknown): void {
    this.data[key] = structuredClone(value);
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
