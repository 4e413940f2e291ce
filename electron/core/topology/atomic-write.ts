/**
 * Replace a file's bytes so that a reader (containerlab, an editor, the file watcher) sees
 * either the old file or the new one, never half of one: write a temporary file beside it,
 * fsync, rename over. The previous bytes are kept as a backup first. Mode (and ownership,
 * where allowed) follow the original.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** The bytes the caller read and edited; they go into the backup. */
  previous: Buffer;
  /** Keep timestamped backups in this folder instead of `<file>.bak` beside the file. */
  backupDir?: string;
  /** Runs after the new bytes are safely on disk and before anything visible changes. */
  beforeReplace?: () => Promise<void>;
}

export async function writeFileAtomically(file: string, data: Buffer, opts: AtomicWriteOptions): Promise<{ backupFile: string }> {
  // Through a symlink, replace the target: renaming over the link would turn it into a file.
  const target = await realpath(file);
  const st = await stat(target);
  const mode = st.mode & 0o7777;
  const tmp = await writeTemp(target, data, mode, st);
  try {
    await opts.beforeReplace?.();
    const backupFile = await writeBackup(target, opts.previous, mode, st, opts.backupDir);
    await rename(tmp, target);
    await syncDir(path.dirname(target));
    return { backupFile };
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** A complete, fsynced copy of `data` beside `target`, not yet visible under its name. */
async function writeTemp(target: string, data: Buffer, mode: number, owner: { uid: number; gid: number }): Promise<string> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.chmod(mode); // open() applied the umask
    await fh.chown(owner.uid, owner.gid).catch(() => undefined); // only root may; best effort
    await fh.sync();
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  return tmp;
}

/** `<file>.bak` (replaced each time), or `<backupDir>/<name>.<timestamp>.bak` (kept). */
async function writeBackup(target: string, previous: Buffer, mode: number, st: { uid: number; gid: number }, backupDir?: string): Promise<string> {
  let backupFile = `${target}.bak`;
  if (backupDir) {
    await mkdir(backupDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backupFile = path.join(backupDir, `${path.basename(target)}.${stamp}.bak`);
    for (let n = 2; await exists(backupFile); n++) backupFile = path.join(backupDir, `${path.basename(target)}.${stamp}-${n}.bak`);
  }
  // The backup is replaced atomically as well, so an interrupted write never leaves a torn one.
  const tmp = await writeTemp(backupFile, previous, mode, st);
  try {
    await rename(tmp, backupFile);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  return backupFile;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Makes the rename itself durable; some file systems refuse to sync a folder, which is fine. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  await fh.sync().catch(() => undefined);
  await fh.close().catch(() => undefined);
}
