import type { SFTPWrapper, Stats } from 'ssh2';
import type { HostFiles } from '../labs/host-files';
import type { FileInfo } from '../labs/topology-fs';
import { fileKind, notRegular, tooLarge } from '../util/regular-file';

export interface SftpFilesOptions {
  /** The lab host's id. */
  id: string;
  /** The host's SFTP session; rejects while the host is not connected. */
  sftp: () => Promise<SFTPWrapper>;
  /** How often a watched file is looked at; 5 s by default. */
  pollMs?: number;
}

/** SFTP status codes as Node's errno codes, so callers explain them as for local files. */
const ERRNO: Record<number, string> = { 2: 'ENOENT', 3: 'EACCES', 5: 'EINVAL', 8: 'ENOTSUP' };

/** Runs one SFTP call; `fn` may be async (it awaits the session), and its failure rejects too. */
function errno<T>(fn: (cb: (err: Error | null | undefined, v?: T) => void) => void | Promise<void>): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null | undefined, v?: T) => {
      if (!err) return resolve(v as T);
      const code = ERRNO[(err as Error & { code?: number }).code ?? -1];
      reject(Object.assign(new Error(err.message), code ? { code } : {}));
    };
    Promise.resolve()
      .then(() => fn(done))
      .catch(reject);
  });
}

const info = (st: Stats): FileInfo => ({ mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, mtimeMs: st.mtime * 1000 });

/**
 * A remote lab host's files over SFTP on its SSH connection: topology reading, write-back
 * (temporary file, fsync@openssh.com, posix-rename@openssh.com over the original: the same
 * atomic replace as locally) and watching.
 *
 * Watching is a stat (mtime + size) every `pollMs` while the lab is tracked. SFTP has no change
 * notification, and re-reading on Docker events would miss an edit made while the lab simply
 * runs (the usual case) while re-reading on each of the many port-scan updates. One stat is a
 * few dozen bytes per interval; mtime has a one-second grain over SFTP v3, so an edit that
 * keeps the size within the same second as the last look can be missed until the next one.
 */
export function createSftpFiles(o: SftpFilesOptions): HostFiles {
  const sftp = o.sftp;
  return {
    id: o.id,
    local: false,
    readFile: async (file, maxBytes) => readRegularRemote(await sftp(), file, maxBytes),
    stat: async (file) => info(await errno<Stats>(async (cb) => (await sftp()).stat(file, cb))),
    realpath: async (file) => errno<string>(async (cb) => (await sftp()).realpath(file, cb)),
    writeNew: async (file, data, mode, owner) => {
      const s = await sftp();
      const handle = await errno<Buffer>((cb) => s.open(file, 'wx', { mode }, cb));
      try {
        for (let at = 0; at < data.length; ) {
          const n = Math.min(data.length - at, 32 * 1024);
          await errno<void>((cb) => s.write(handle, data, at, n, at, (err) => cb(err)));
          at += n;
        }
        await errno<void>((cb) => s.fchmod(handle, mode, cb)); // the host's umask applied on open
        await errno<void>((cb) => s.fchown(handle, owner.uid, owner.gid, cb)).catch(() => undefined); // only root may
        await errno<void>((cb) => s.ext_openssh_fsync(handle, cb)).catch(() => undefined); // older sshd: no fsync extension
      } finally {
        await errno<void>((cb) => s.close(handle, cb)).catch(() => undefined);
      }
    },
    // Plain SFTP rename refuses an existing target; OpenSSH's extension replaces it atomically.
    rename: async (from, to) => errno<void>(async (cb) => (await sftp()).ext_openssh_rename(from, to, cb)),
    unlink: async (file) => errno<void>(async (cb) => (await sftp()).unlink(file, cb)),
    mkdirp: async (dir) => {
      const s = await sftp();
      let at = '';
      for (const part of dir.split('/').filter(Boolean)) {
        at += `/${part}`;
        const exists = await errno<Stats>((cb) => s.stat(at, cb)).then(() => true, () => false);
        if (!exists) await errno<void>((cb) => s.mkdir(at, cb));
      }
    },
    syncDir: async () => undefined, // SFTP cannot sync a folder
    watch: (file, onChange) => pollFile(sftp, file, onChange, o.pollMs ?? 5000),
  };
}

/**
 * A regular file's bytes, at most `maxBytes`. Looked at before opening: sftp-server serves one
 * request at a time, and opening a FIFO there would hang it (and every later request) until a
 * writer appears. Looked at again through the handle, then read in pieces up to the cap.
 */
async function readRegularRemote(s: SFTPWrapper, file: string, maxBytes: number): Promise<Buffer> {
  const check = (st: Stats) => {
    if (!st.isFile()) throw notRegular(file, fileKind(st));
    if (st.size > maxBytes) throw tooLarge(file, maxBytes);
  };
  check(await errno<Stats>((cb) => s.stat(file, cb)));
  const handle = await errno<Buffer>((cb) => s.open(file, 'r', cb));
  try {
    check(await errno<Stats>((cb) => s.fstat(handle, cb)));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(32 * 1024, maxBytes + 1 - total);
      const buf = Buffer.alloc(want);
      const n = await errno<number>((cb) => s.read(handle, buf, 0, want, total, (err, bytesRead) => cb(err, bytesRead)));
      if (!n) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooLarge(file, maxBytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await errno<void>((cb) => s.close(handle, cb)).catch(() => undefined);
  }
}

function pollFile(sftp: () => Promise<SFTPWrapper>, file: string, onChange: () => void, pollMs: number): () => void {
  let last: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const look = async () => {
    let now: string | undefined;
    try {
      const st = await errno<Stats>(async (cb) => (await sftp()).stat(file, cb));
      now = `${st.mtime}:${st.size}`;
    } catch (err) {
      // Gone is a change; no connection is not: the next look after a reconnect compares.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') now = 'missing';
    }
    if (stopped) return;
    if (now !== undefined) {
      if (last !== undefined && now !== last) onChange();
      last = now;
    }
    timer = setTimeout(() => void look(), pollMs);
  };
  void look();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
