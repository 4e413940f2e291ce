/**
 * "Clicks back to code": a publication made in the UI is saved into its node's `publish`
 * list in the containerlab topology file. The file is edited as text at one place (see
 * write-back-edit.ts), so comments, order and formatting everywhere else stay byte for byte;
 * it is replaced atomically, with a backup, and only if it is still what the caller read.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../../shared/rpc-errors';
import { writeFileAtomically } from './atomic-write';
import { localTopologyFs, type TopologyFs } from '../labs/topology-fs';
import { MAX_TOPOLOGY_BYTES } from './topology-limits';
import { addEntryToText } from './write-back-edit';

export interface AddPublishEntryOptions {
  file: string;
  /** The node's name: its key under `topology.nodes`. */
  node: string;
  /** The entry text, e.g. `tcp/22` or `https/443/alice@example.com`, validated by the caller. */
  entry: string;
  /** sha256 (hex) of the bytes the caller read; the write is refused if the file changed since. */
  expectedHash?: string;
  /** Keep timestamped backups here instead of `<file>.bak`. */
  backupDir?: string;
  /** Where the file is: this computer by default, or a lab host's files over SFTP. */
  fs?: TopologyFs;
}

export interface AddPublishEntryResult {
  /** sha256 (hex) of the file as written. */
  hash: string;
  /** Where the previous bytes were saved. */
  backupFile: string;
  /** 1-based line of the new entry. */
  line: number;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

// Two saves to one file in quick succession must not both start from the same bytes.
const queues = new Map<string, Promise<unknown>>();

export async function addPublishEntry(opts: AddPublishEntryOptions): Promise<AddPublishEntryResult> {
  const fs = opts.fs ?? localTopologyFs;
  const key = `${fs.id}:${fs.local ? path.resolve(opts.file) : opts.file}`;
  const run = (queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => addUnqueued(opts));
  queues.set(key, run);
  try {
    return await run;
  } finally {
    if (queues.get(key) === run) queues.delete(key);
  }
}

async function addUnqueued({ file, node, entry, expectedHash, backupDir, fs = localTopologyFs }: AddPublishEntryOptions): Promise<AddPublishEntryResult> {
  const before = await readTopologyFile(fs, file);
  if (expectedHash !== undefined && expectedHash.toLowerCase() !== sha256(before)) throw changedOnDisk(file);
  const text = before.toString('utf8');
  // Offsets are computed on the decoded text: bytes that are not UTF-8 would not survive.
  if (!Buffer.from(text, 'utf8').equals(before)) {
    throw new AppError('refused', `${file} is not UTF-8 text`, 'save the file as UTF-8, then try again');
  }
  const edited = addEntryToText(text, file, node, entry);
  const bytes = Buffer.from(edited.text, 'utf8');
  try {
    const { backupFile } = await writeFileAtomically(file, bytes, {
      previous: before,
      backupDir,
      fs,
      // Someone may have saved the file while we edited it: their change wins, ours is refused.
      beforeReplace: async () => {
        if (!(await readTopologyFile(fs, file)).equals(before)) throw changedOnDisk(file);
      },
    });
    return { hash: sha256(bytes), backupFile, line: edited.line };
  } catch (err) {
    throw asAppError(err, file);
  }
}

async function readTopologyFile(fs: TopologyFs, file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file, MAX_TOPOLOGY_BYTES);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('not_found', `${file} does not exist`, 'open the lab\'s topology file again');
    if (code === 'ENOTREG' || code === 'EFBIG') throw new AppError('refused', `cannot edit: ${(err as Error).message}`, 'open the lab\'s topology file again');
    throw asAppError(err, file);
  }
}

const changedOnDisk = (file: string) =>
  new AppError('conflict', `the topology file changed on disk since it was read: ${file}`, 'reload it in the app and try again');

function asAppError(err: unknown, file: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS') {
    return new AppError('refused', `cannot write ${file}: ${e.message}`, 'check that you may write the file, its folder and the backup folder');
  }
  return new AppError('internal', `writing ${file} failed, the file is unchanged: ${e.message ?? String(err)}`);
}
