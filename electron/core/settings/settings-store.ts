import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logs/logger';
import { writeFileAtomicSync } from '../util/atomic-file';
import { saveError } from '../util/save-error';

/**
 * A JSON settings file under the data folder, one top-level key per owner (publications,
 * providers, knownHosts, ...). Each write replaces the file atomically (util/atomic-file.ts:
 * a temporary file beside it, every byte written, fsynced, renamed over), so a crash or a
 * full disk leaves the old file or the new one, never half of one; the file is 0600 because
 * it names hosts and key paths.
 */
export class SettingsStore {
  private data: Record<string, unknown> = {};
  readonly file: string;

  /** `log` hears about a corrupt file moved aside at start-up. */
  constructor(dataDir: string, log?: Pick<Logger, 'error'>) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = path.join(dataDir, 'settings.json');
    if (fs.existsSync(this.file)) this.data = this.read(log);
  }

  /**
   * A file that is not our JSON (truncated by a crash, edited by hand) must not stop
   * start-up: it is moved aside, never overwritten, and the app starts with defaults. A file
   * that cannot be read at all (permissions) does stop it, naming the file: a later save
   * would otherwise replace settings that may still be intact.
   */
  private read(log: Pick<Logger, 'error'> | undefined): Record<string, unknown> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the settings file ${this.file} (${(err as Error).message}): fix its permissions (it must be readable by you, mode 600) or move it away to start with defaults`);
    }
    let why: string;
    try {
      const data: unknown = JSON.parse(text);
      if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
      why = 'not an object of settings';
    } catch (err) {
      why = (err as Error).message;
    }
    let aside: string;
    try {
      aside = moveAside(this.file, `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    } catch (err) {
      throw new Error(`the settings file ${this.file} is corrupt (${why}) and could not be moved aside (${(err as Error).message}): move it away to start with defaults`);
    }
    const message = `the settings file ${this.file} is corrupt (${why}): moved it to ${aside} and started with default settings; restore it from a backup while clab-publisher is stopped, or set things up again`;
    if (log) log.error(message);
    else console.error(`clab-publisher: ${message}`);
    return {};
  }

  get<T>(key: string, fallback: T): T {
    return key in this.data ? (structuredClone(this.data[key]) as T) : fallback;
  }

  /**
   * Saves at once. When the write fails (a full disk, a read-only file system), it throws an
   * AppError saying so in words ("disk full: ...") and the settings and the file stay as
   * they were: callers change their own state only after this returns.
   */
  set(key: string, value: unknown): void {
    const next = { ...this.data, [key]: structuredClone(value) };
    try {
      writeFileAtomicSync(this.file, JSON.stringify(next, null, 2) + '\n', 0o600);
    } catch (err) {
      throw saveError('the settings', this.file, err);
    }
    this.data = next;
  }
}

/** Renames `file` to `aside` (or `aside-2`, ...), never replacing a file already there. */
function moveAside(file: string, aside: string): string {
  for (let n = 1; ; n++) {
    const to = n === 1 ? aside : `${aside}-${n}`;
    try {
      // A link, unlike a rename, fails instead of replacing what is there.
      fs.linkSync(file, to);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // A file system without hard links: rename, having looked first.
      if (fs.existsSync(to)) continue;
      fs.renameSync(file, to);
      return to;
    }
    fs.unlinkSync(file);
    return to;
  }
}
