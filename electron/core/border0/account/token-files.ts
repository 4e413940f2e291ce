import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TokenCandidate } from '../../../../shared/account-model';
import { AppError } from '../../../../shared/rpc-errors';
import { readRegularFile } from '../../util/regular-file';
import { decodeJwtPayload } from '../api/token';

/** A token file holds one JWT of a few KB; anything much larger is not one. */
const MAX_TOKEN_FILE_BYTES = 64 * 1024;

/** File names other border0 / mysocket tools write tokens to; export writes only these. */
export const TOKEN_FILE_NAMES = ['.border0_token', '.mysocketio_token'];

export function homeTokenFile(home = os.homedir()): string {
  return path.join(home, '.border0', 'token');
}

/** Candidates to import: the user's own token file, and those labs' helper nodes mounted. */
export function tokenCandidates(extra: { path: string; origin: string }[], home = os.homedir()): TokenCandidate[] {
  const seen = new Set<string>();
  return [{ path: homeTokenFile(home), origin: '~/.border0/token' }, ...extra]
    .filter((c) => !seen.has(c.path) && seen.add(c.path))
    .map((c) => ({ ...c, exists: fs.existsSync(c.path) }));
}

/**
 * Reads a token file; says plainly when it does not hold a token (never echoing the content).
 * The path is anyone's choice: only a small regular file is read, never a FIFO or a device.
 */
export async function readTokenFile(file: string): Promise<string> {
  let text: string;
  try {
    text = (await readRegularFile(file, { maxBytes: MAX_TOKEN_FILE_BYTES })).toString('utf8').trim();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOTREG' || e.code === 'EFBIG') throw new AppError('invalid_params', `${e.message}: a token file is a small text file`, 'give the path of the file that holds the token', 'path');
    throw new AppError('not_found', `cannot read ${file}: ${e.code ?? e.message}`, 'check the path and that the user running clab-publisher may read it', 'path');
  }
  try {
    decodeJwtPayload(text);
  } catch {
    throw new AppError('invalid_params', `${file} does not contain a border0 token`, 'a token file holds one JWT (three dot-separated parts)', 'path');
  }
  return text;
}

/** Writes the token where other tools look for it: 0600 file, 0700 folder for ~/.border0. */
export function writeTokenFile(file: string, token: string, home = os.homedir()): string {
  const abs = path.resolve(file);
  const allowed = TOKEN_FILE_NAMES.includes(path.basename(abs)) || abs === homeTokenFile(home);
  if (!allowed) {
    throw new AppError('invalid_params', `refusing to write a token to ${abs}`, `export writes only ${TOKEN_FILE_NAMES.join(', ')} or ~/.border0/token`, 'path');
  }
  fs.mkdirSync(path.dirname(abs), { recursive: true, mode: 0o700 });
  if (abs === homeTokenFile(home)) fs.chmodSync(path.dirname(abs), 0o700);
  const tmp = `${abs}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, token + '\n', { mode: 0o600 });
  fs.renameSync(tmp, abs);
  return abs;
}
