/**
 * Replace a file's bytes so that a reader (containerlab, an editor, the file watcher) sees
 * either the old file or the new one, never half of one: write a temporary file beside it,
 * fsync, rename over. The previous bytes are kept as a backup first. Mode (and ownership,
 * where allowed) follow the original. Works on any TopologyFs: this computer's files, or a
 * lab host's over SFTP (where the rename is OpenSSH's posix-rename).
 *
 * Not util/atomic-file.ts (which the settings and secrets stores use): that one writes only
 * to this computer's file system, synchronously, and has no step between the fsync and the
 * rename for the "changed on disk meanwhile" check. One code path for local and remote
 * files, tested on both, is worth these ~80 lines.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { localTopologyFs, type FileInfo, type TopologyFs } from '../labs/topology-fs';

export interface AtomicWriteOptions {
  /** The bytes the caller read and edited; they go into the backup. */
  previous: Buffer;
  /** Keep timestamped backups in this folder instead of `<file>.bak` beside the file. */
  backupDir?: string;
  /** Runs after the new bytes are safely on disk and before anything visible changes. */
  beforeReplace?: () => Promise<void>;
  /** Where the file is; this computer by default. */
  fs?: TopologyFs;
}

export async function writeFileAtomically(file: string, data: Buffer, opts: AtomicWriteOptions): Promise<{ backupFile: string }> {
  const fs = opts.fs ?? localTopologyFs;
  // Through a symlink, replace the target: renaming over the link would turn it into a file.
  const target = await fs.realpath(file);
  const st = await fs.stat(target);
  const tmp = await writeTemp(fs, target, data, st);
  try {
    await opts.beforeReplace?.();
    const backupFile = await writeBackup(fs, target, opts.previous, st, opts.backupDir);
    await fs.rename(tmp, target);
    await fs.syncDir(pathsOf(fs).dirname(target));
    return { backupFile };
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** A complete, fsynced copy of `data` beside `target`, not yet visible under its name. */
async function writeTemp(fs: TopologyFs, target: string, data: Buffer, st: FileInfo): Promise<string> {
  const p = pathsOf(fs);
  const tmp = p.join(p.dirname(target), `.${p.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeNew(tmp, data, st.mode & 0o7777, st);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
  return tmp;
}

/** `<file>.bak` (replaced each time), or `<backupDir>/<name>.<timestamp>.bak` (kept). */
async function writeBackup(fs: TopologyFs, target: string, previous: Buffer, st: FileInfo, backupDir?: string): Promise<string> {
  let backupFile = `${target}.bak`;
  if (backupDir) {
    const p = pathsOf(fs);
    await fs.mkdirp(backupDir);
    const name = p.basename(target);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backupFile = p.join(backupDir, `${name}.${stamp}.bak`);
    for (let n = 2; await exists(fs, backupFile); n++) backupFile = p.join(backupDir, `${name}.${stamp}-${n}.bak`);
  }
  // The backup is replaced atomically as well, so an interrupted write never leaves a torn one.
  const tmp = await writeTemp(fs, backupFile, previous, st);
  try {
    await fs.rename(tmp, backupFile);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
  return backupFile;
}

/** Remote lab hosts run Linux: their paths are POSIX whatever this computer uses. */
const pathsOf = (fs: TopologyFs) => (fs.local ? path : path.posix);

async function exists(fs: TopologyFs, p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}
