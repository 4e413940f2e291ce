/**
 * Reads a topology file and analyses it (analyse-topology.ts) in a worker thread: the read
 * is bounded (a regular file of at most MAX_TOPOLOGY_BYTES), the analysis has a time and
 * memory budget. Files that cannot be used at all throw a TopologyFileError; everything
 * else is a diagnostic in the report.
 */
import type { PublishGrammar } from '../../../shared/publish-grammar';
import type { TopologyReport } from '../../../shared/topology-model';
import { readRegularFile } from '../util/regular-file';
import type { Env } from './env-expand';
import { analyseInWorker, type WorkerBudget } from './topology-in-worker';
import { TopologyFileError } from './topology-file-error';
import { formatBytes, MAX_TOPOLOGY_BYTES } from './topology-limits';

export { parseTopology } from './analyse-topology';

export interface TopologyOptions {
  /** Variables for `${VAR}` expansion; process.env by default. */
  env?: Env;
  /** Forces a publish grammar instead of detecting it. */
  grammar?: PublishGrammar;
  /**
   * How the bytes are read (a lab host's SFTP): a regular file of at most `maxBytes`, like
   * TopologyFs.readFile. This computer's files by default.
   */
  readFile?: (file: string, maxBytes: number) => Promise<Buffer>;
  /** The worker's time and memory budget (topology-limits.ts by default). */
  budget?: WorkerBudget;
}

/** Reads and analyses a topology file; `hash` is the sha256 of its bytes. */
export async function loadTopology(file: string, opts: TopologyOptions = {}): Promise<TopologyReport> {
  let bytes: Buffer;
  try {
    bytes = await (opts.readFile ?? ((f, maxBytes) => readRegularFile(f, { maxBytes })))(file, MAX_TOPOLOGY_BYTES);
  } catch (err) {
    throw readError(file, err as NodeJS.ErrnoException);
  }
  return analyseInWorker(bytes, file, opts.env ?? process.env, opts.grammar, opts.budget);
}

const PERMISSION: [string, string] = ['permission denied', 'make the file readable by this user (labs deployed with sudo often leave root-owned files)'];
const READ_PROBLEMS: Record<string, [string, string]> = {
  ENOENT: ['no such file', 'check the path: containerlab topology files are usually named <lab>.clab.yml'],
  EACCES: PERMISSION,
  EPERM: PERMISSION,
  EISDIR: ['it is a folder, not a file', 'give the topology file inside it (the *.clab.yml file)'],
};

function readError(file: string, err: NodeJS.ErrnoException): TopologyFileError {
  if (err.code === 'EFBIG') {
    const message = `the file is larger than ${formatBytes(MAX_TOPOLOGY_BYTES)}, the most a topology file may be`;
    return new TopologyFileError({ kind: 'limit', file, message, hint: 'containerlab topologies are kilobytes: check that the path names the topology file' }, { cause: err });
  }
  if (err.code === 'ENOTREG') {
    // The refusal says what it is (a folder, a FIFO, a device).
    const what = err.message.replace(`${file} is `, 'it is ');
    return new TopologyFileError({ kind: 'read', file, message: `cannot read the topology file: ${what}`, hint: 'give the topology file itself (the *.clab.yml file)' }, { cause: err });
  }
  const [what, hint] = READ_PROBLEMS[err.code ?? ''] ?? [err.message, 'check that the file exists and is readable'];
  return new TopologyFileError({ kind: 'read', file, message: `cannot read the topology file: ${what}`, hint }, { cause: err });
}
