/**
 * Reads a topology file and analyses it (analyse-topology.ts). Files that cannot be used at
 * all throw a TopologyFileError; everything else is a diagnostic in the report.
 */
import fs from 'node:fs/promises';
import type { PublishGrammar } from '../../../shared/publish-grammar';
import type { TopologyReport } from '../../../shared/topology-model';
import { analyseBytes } from './analyse-topology';
import type { Env } from './env-expand';
import { TopologyFileError } from './topology-file-error';

export { parseTopology } from './analyse-topology';

export interface TopologyOptions {
  /** Variables for `${VAR}` expansion; process.env by default. */
  env?: Env;
  /** Forces a publish grammar instead of detecting it. */
  grammar?: PublishGrammar;
  /** How the bytes are read (a lab host's SFTP); this computer's files by default. */
  readFile?: (file: string) => Promise<Buffer>;
}

/** Reads and analyses a topology file; `hash` is the sha256 of its bytes. */
export async function loadTopology(file: string, opts: TopologyOptions = {}): Promise<TopologyReport> {
  let bytes: Buffer;
  try {
    bytes = await (opts.readFile ?? fs.readFile)(file);
  } catch (err) {
    throw readError(file, err as NodeJS.ErrnoException);
  }
  return analyseBytes(bytes, file, opts.env ?? process.env, opts.grammar);
}

const READ_PROBLEMS: Record<string, [string, string]> = {
  ENOENT: ['no such file', 'check the path: containerlab topology files are usually named <lab>.clab.yml'],
  EACCES: ['permission denied', 'make the file readable by this user (labs deployed with sudo often leave root-owned files)'],
  EPERM: ['permission denied', 'make the file readable by this user (labs deployed with sudo often leave root-owned files)'],
  EISDIR: ['it is a folder, not a file', 'give the topology file inside it (the *.clab.yml file)'],
};

function readError(file: string, err: NodeJS.ErrnoException): TopologyFileError {
  const [what, hint] = READ_PROBLEMS[err.code ?? ''] ?? [err.message, 'check that the file exists and is readable'];
  return new TopologyFileError({ kind: 'read', file, message: `cannot read the topology file: ${what}`, hint }, { cause: err });
}
