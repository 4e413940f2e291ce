/**
 * Small files the shell keeps for itself (window place, autostart entry): read without
 * following symlinks or waiting on a FIFO someone planted there, and never more than `maxBytes`.
 */
import { constants as fsc } from 'node:fs';
import fs from 'node:fs/promises';

/** The file's text; undefined when it does not exist. Throws when it is not a small regular file. */
export async function readSmallFile(file: string, maxBytes: number): Promise<string | undefined> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(file, fsc.O_RDONLY | fsc.O_NONBLOCK | (fsc.O_NOFOLLOW ?? 0));
    const st = await fh.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    const buf = Buffer.alloc(maxBytes);
    const { bytesRead } = await fh.read(buf, 0, maxBytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Written to a temporary file and renamed over the old one: a crash leaves one or the other. */
export async function writeFileAtomic(file: string, text: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, text, { mode });
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
