/**
 * Replacing one of the app's own files (settings, secrets) so that a crash or a full disk
 * leaves the old file or the new one, never half of one: a temporary file with a random
 * name beside it (created exclusively, never through a symlink), every byte written (a full
 * disk shows as a short write, then ENOSPC), fsynced, renamed over the old one, the folder
 * fsynced so the rename survives a power cut. On failure the temporary file is removed and
 * the old file is untouched.
 *
 * Synchronous on purpose: these are small files of our own in our own folder, and a caller
 * that changes its state after a successful save must know the outcome before it goes on.
 * (write-file-atomic, used before, ignored short writes: on a full disk it renamed a
 * truncated settings.json over the good one.)
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomicSync(file: string, data: string | Buffer, mode: number): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode);
    for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing: the first error is the one to report
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // never created, or already gone
    }
    throw err;
  }
  syncFolder(path.dirname(file));
}

/** Makes a rename in `dir` durable; some file systems refuse to sync a folder, which is fine. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    fs.fsyncSync(fd);
  } catch {
    // nothing to do: the rename itself happened
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
