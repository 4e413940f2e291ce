/**
 * Reading a file whose path someone else chose (a container label, a path typed in the UI, a
 * key file in the settings): asynchronously, only a regular file, and never more than a cap.
 * A FIFO would hold the read until a writer appears, `/dev/zero` never ends, and a folder or
 * a device is no file to read: each is refused with what it is.
 */
import { constants as fsc, type Stats } from 'node:fs';
import fs from 'node:fs/promises';

export type RefusedCode = 'ENOTREG' | 'EFBIG';

/** A file refused before or while reading it; `code` as Node's errno codes are given. */
export class FileRefusedError extends Error {
  override readonly name = 'FileRefusedError';
  constructor(
    readonly code: RefusedCode,
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

export interface ReadLimits {
  maxBytes: number;
  /** Refuse a symlink instead of following it (files only this app writes). */
  noFollow?: boolean;
}

/** What a non-regular file is, in words. */
export function fileKind(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSymbolicLink(): boolean }): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export const notRegular = (file: string, kind: string) => new FileRefusedError('ENOTREG', `${file} is ${kind}, not a regular file`, file);
export const tooLarge = (file: string, maxBytes: number) => new FileRefusedError('EFBIG', `${file} is larger than ${maxBytes} bytes`, file);

/**
 * The bytes of `file`. Looked at before opening (so a device is never even opened), opened
 * non-blocking (a FIFO swapped in meanwhile cannot hold the open), looked at again through
 * the open file, then read to at most `maxBytes` whatever size the file claims.
 */
export async function readRegularFile(file: string, limits: ReadLimits): Promise<Buffer> {
  const before = limits.noFollow ? await fs.lstat(file) : await fs.stat(file);
  check(file, before, limits.maxBytes);
  const fh = await fs.open(file, fsc.O_RDONLY | fsc.O_NONBLOCK | (limits.noFollow ? fsc.O_NOFOLLOW : 0));
  try {
    check(file, await fh.stat(), limits.maxBytes);
    return await readCapped(fh, file, limits.maxBytes);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

function check(file: string, st: Stats, maxBytes: number): void {
  if (!st.isFile()) throw notRegular(file, fileKind(st));
  if (st.size > maxBytes) throw tooLarge(file, maxBytes);
}

/** Reads until the end or one byte past the cap (files under /proc claim size 0). */
async function readCapped(fh: fs.FileHandle, file: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const want = Math.min(64 * 1024, maxBytes + 1 - total);
    const buf = Buffer.allocUnsafe(want);
    const { bytesRead } = await fh.read(buf, 0, want, total);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) throw tooLarge(file, maxBytes);
  }
  return Buffer.concat(chunks, total);
}
