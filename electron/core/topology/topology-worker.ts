/**
 * The worker thread that analyses topology files (topology-in-worker.ts starts and stops
 * it). It takes one job at a time and answers with the report or the error; a file that
 * takes too long or too much memory is the parent's to stop (it terminates this thread), so
 * nothing here can freeze the core's loop.
 */
import { parentPort } from 'node:worker_threads';
import type { PublishGrammar } from '../../../shared/publish-grammar';
import { analyseBytes } from './analyse-topology';
import type { Env } from './env-expand';
import { TopologyFileError, type TopologyFileErrorInit } from './topology-file-error';

export interface WorkerJob {
  id: number;
  bytes: Uint8Array;
  file: string;
  env: Env;
  grammar?: PublishGrammar;
}

/**
 * The report travels as JSON text: a string crosses threads as one copy, and JSON.parse
 * builds a 32,000-node report in a fraction of the time structured cloning takes on the
 * receiving (the core's) side.
 */
export type WorkerAnswer = { id: number } & ({ reportJson: string } | { fileError: TopologyFileErrorInit } | { failure: string });

function run(job: WorkerJob): WorkerAnswer {
  try {
    return { id: job.id, reportJson: JSON.stringify(analyseBytes(job.bytes, job.file, job.env, job.grammar)) };
  } catch (err) {
    return err instanceof TopologyFileError ? { id: job.id, fileError: err.toJSON() } : { id: job.id, failure: (err as Error)?.message ?? String(err) };
  }
}

parentPort?.on('message', (job: WorkerJob) => parentPort?.postMessage(run(job)));
