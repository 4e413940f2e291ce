import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TokenCandidate } from '../../../../shared/account-model';
import { AppError } from '../../../../shared/rpc-errors';
import { decodeJwtPayload } from '../api/token';

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

/** Reads a token file; says plainly when it does not hold a token (never echoing the content). */
export function readTokenFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new AppError('not_found', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'check the path and that the user running clab-publisher may read it', 'path');
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
