/**
 * The few file operations reading and writing back a topology needs, behind one interface so
 * a file on a remote lab host (SFTP over its SSH connection) is handled by the same code as a
 * local one. Failures carry Node's errno codes (ENOENT, EACCES, EEXIST, ...) either way, so
 * callers explain them once.
 */
import { mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { readRegularFile } from '../util/regular-file';

export interface FileInfo {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
}

export interface TopologyFs {
  /** `local`, or the lab host's id: keeps two hosts' files with one path apart. */
  readonly id: string;
  /** Whether paths are on this computer (the process environment applies to `${VAR}`). */
  readonly local: boolean;
  /**
   * A regular file's bytes (following symlinks); a FIFO, device or folder is refused unopened
   * (FileRefusedError 'ENOTREG'), and so is a file over `maxBytes` ('EFBIG').
   */
  readFile(file: string, maxBytes: number): Promise<Buffer>;
  stat(file: string): Promise<FileInfo>;
  /** Symlinks resolved, so a write replaces the target and keeps the link. */
  realpath(file: string): Promise<string>;
  /**
   * Creates `file`, which must not exist yet, with exactly `data` and `mode` (not reduced by
   * a umask), owned by `owner` where allowed, flushed to disk before resolving.
   */
  writeNew(file: string, data: Buffer, mode: number, owner: { uid: number; gid: number }): Promise<void>;
  /** Replaces `to` atomically when it exists. */
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdirp(dir: string): Promise<void>;
  /** Makes a rename durable where the file system allows; a no-op elsewhere. */
  syncDir(dir: string): Promise<void>;
}

/** This computer's files. */
export const localTopologyFs: TopologyFs = {
  id: 'local',
  local: true,
  readFile: (file, maxBytes) => readRegularFile(file, { maxBytes }),
  stat: async (file) => {
    const st = await stat(file);
    return { mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, mtimeMs: st.mtimeMs };
  },
  realpath: (file) => realpath(file),
  writeNew: async (file, data, mode, owner) => {
    const fh = await open(file, 'wx', mode);
    try {
      await fh.writeFile(data);
      await fh.chmod(mode); // open() applied the umask
      await fh.chown(owner.uid, owner.gid).catch(() => undefined); // only root may; best effort
      await fh.sync();
    } finally {
      await fh.close().catch(() => undefined);
    }
  },
  rename: (from, to) => rename(from, to),
  unlink: (file) => unlink(file),
  mkdirp: async (dir) => void (await mkdir(dir, { recursive: true })),
  syncDir: async (dir) => {
    // Some file systems refuse to sync a folder, which is fine.
    const fh = await open(dir, 'r').catch(() => undefined);
    if (!fh) return;
    await fh.sync().catch(() => undefined);
    await fh.close().catch(() => undefined);
  },
};
