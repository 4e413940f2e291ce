import type { TopologyFileProblem } from '../../../shared/topology-model';
import { loadTopology } from '../topology/load-topology';
import { TopologyFileError } from '../topology/topology-file-error';
import type { DescribeLoadError, LoadTopology } from './topology-service';

/** The real loader for local files (process environment for `${VAR}` expansion). */
export const loadLocalTopology: LoadTopology = (file, grammar) => loadTopology(file, { grammar });

export const describeLoadError: DescribeLoadError = (err): TopologyFileProblem => {
  if (err instanceof TopologyFileError) {
    return { kind: err.kind, message: err.message, hint: err.hint, file: err.file, line: err.line, column: err.column };
  }
  return { kind: 'read', message: (err as Error)?.message ?? String(err), hint: 'check that the file exists and is readable by the user running clab-publisher' };
};
