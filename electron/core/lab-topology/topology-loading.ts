import type { TopologyFileProblem } from '../../../shared/topology-model';
import { loadTopology } from '../topology/load-topology';
import { TopologyFileError } from '../topology/topology-file-error';
import type { DescribeLoadError, LoadTopology } from './topology-service';

/**
 * The real loader: through the lab host's files (this computer's by default). `${VAR}` expands
 * from this process's environment for local files only: containerlab on a remote host ran with
 * that host's environment, which is not ours to guess, so there only defaults (`${VAR:=x}`) apply.
 */
export const loadLocalTopology: LoadTopology = (file, grammar, files) =>
  loadTopology(file, { grammar, readFile: files && ((f, maxBytes) => files.readFile(f, maxBytes)), env: !files || files.local ? process.env : {} });

export const describeLoadError: DescribeLoadError = (err): TopologyFileProblem => {
  if (err instanceof TopologyFileError) {
    return { kind: err.kind, message: err.message, hint: err.hint, file: err.file, line: err.line, column: err.column };
  }
  return { kind: 'read', message: (err as Error)?.message ?? String(err), hint: 'check that the file exists and is readable by the user running clab-publisher' };
};
