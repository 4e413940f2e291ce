import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logs/logger';
import { writeFileAtomicSync } from '../util/atomic-file';
import { saveError } from '../util/save-error';
import type { SecretCipher } from './secret-cipher';

/**
 * Tokens, keys and proxy passwords, encrypted at rest in a 0600 file under the data folder.
 * Values never leave the core: the UI only ever sees facts about them.
 */
export class SecretStore {
  private readonly file: string;
  private data: Record<string, string> = {};

  constructor(private readonly deps: { dataDir: string; cipher: SecretCipher; log: Logger }) {
    this.file = path.join(deps.dataDir, 'secrets.json');
    ensurePrivateFolder(deps.dataDir, deps.log);
    if (fs.existsSync(this.file)) this.data = this.read();
  }

  /**
   * A file that is not our JSON (truncated by a crash, edited by hand) must not stop start-up:
   * it is moved aside, never overwritten, and the accounts start signed out. A file that
   * cannot be read at all (permissions) does stop it, naming the file: a later save would
   * otherwise replace secrets that may still be intact.
   */
  private read(): Record<string, string> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the secrets file ${this.file} (${(err as Error).message}): fix its permissions (it must be readable by you, mode 600) or move it away to start signed out`);
    }
    let why: string | undefined;
    try {
      const data: unknown = JSON.parse(text);
      if (data && typeof data === 'object' && !Array.isArray(data) && Object.values(data).every((v) => typeof v === 'string')) return data as Record<string, string>;
      why = 'not an object of encrypted strings';
    } catch (err) {
      why = (err as Error).message;
    }
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      fs.renameSync(this.file, aside);
    } catch (err) {
      throw new Error(`the secrets file ${this.file} is corrupt (${why}) and could not be moved aside (${(err as Error).message}): move it away to start signed out`);
    }
    this.deps.log.error(`the secrets file ${this.file} is corrupt (${why}): moved it to ${aside} and started signed out; sign in again, or restore the file from a backup while clab-publisher is stopped`);
    return {};
  }

  get(name: string): string | undefined {
    const v = this.data[name];
    if (v === undefined) return undefined;
    try {
      return this.deps.cipher.decrypt(Buffer.from(v, 'base64'));
    } catch {
      this.deps.log.warn(`stored secret "${name}" cannot be decrypted (${this.deps.cipher.kind} changed?); it is ignored`);
      return undefined;
    }
  }

  /** Saves at once; a failed save throws ("disk full: ...") and changes nothing. */
  set(name: string, value: string): void {
    this.save({ ...this.data, [name]: this.deps.cipher.encrypt(value).toString('base64') });
  }

  delete(name: string): void {
    if (!(name in this.data)) return;
    const next = { ...this.data };
    delete next[name];
    this.save(next);
  }

  private save(next: Record<string, string>): void {
    try {
      writeFileAtomicSync(this.file, JSON.stringify(next, null, 2) + '\n', 0o600);
    } catch (err) {
      throw saveError('the secrets', this.file, err);
    }
    this.data = next;
  }
}

/** Others must not read the folder that holds secrets: tighten it, or refuse to start. */
export function ensurePrivateFolder(dir: string, log: Logger): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  try {
    fs.chmodSync(dir, 0o700);
    log.warn(`data folder ${dir} was readable by others (mode ${mode.toString(8)}); changed it to 700 because it holds secrets`);
  } catch (err) {
    throw new Error(`data folder ${dir} is readable by others (mode ${mode.toString(8)}) and cannot be made private (${(err as Error).message}): fix its permissions (chmod 700) or pass another --data-dir`);
  }
}
