/**
 * A save that failed, in the user's words: what was not saved, why (the file system's
 * reason named, not its code), and that nothing changed. A full disk must never read as
 * "internal error".
 */
import { AppError } from '../../../shared/rpc-errors';

const REASONS: Record<string, [prefix: string, why: string, hint: string]> = {
  ENOSPC: ['disk full', 'no space left on the device', 'free some space on the disk that holds the data folder, then try again'],
  EDQUOT: ['disk quota exceeded', "the user's disk quota is used up", 'free some space within your quota (or raise it), then try again'],
  EROFS: ['read-only file system', 'the data folder is on a read-only file system', 'start clab-publisher with a --data-dir on a writable file system'],
  EACCES: ['permission denied', 'the data folder or the file may not be written by this user', 'make the data folder writable by the user running clab-publisher (chmod 700, owned by that user)'],
  EPERM: ['permission denied', 'the data folder or the file may not be written by this user', 'make the data folder writable by the user running clab-publisher (chmod 700, owned by that user)'],
};

/** Why a write failed, in a few words (for log lines). */
export function writeProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const known = REASONS[e?.code ?? ''];
  return known ? `${known[0]}: ${known[1]}` : (e?.message ?? String(err));
}

/** `what` (e.g. "the settings") could not be written to `file`: nothing was changed. */
export function saveError(what: string, file: string, err: unknown): AppError {
  const e = err as NodeJS.ErrnoException;
  const known = REASONS[e?.code ?? ''];
  if (known) return new AppError('unavailable', `${known[0]}: cannot save ${what} to ${file} (${known[1]}); nothing was changed`, known[2]);
  return new AppError('unavailable', `cannot save ${what} to ${file} (${e?.message ?? String(err)}); nothing was changed`, 'check the data folder, then try again');
}
