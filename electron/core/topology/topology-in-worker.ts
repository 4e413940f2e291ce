/**
 * Analyses topology files' bytes in a worker thread with a time and memory budget, so a file
 * that is hostile or just huge costs that file, never the core's event loop (the UI, the
 * tunnels). One worker, one file at a time (files are read when a lab is deployed or a file
 * changes); it is kept warm while files come, unref'd so it never holds the process, ended
 * when idle, and terminated (then replaced for the next file) when a file exceeds its budget.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PublishGrammar } from '../../../shared/publish-grammar';
import type { TopologyReport } from '../../../shared/topology-model';
import type { Env } from './env-expand';
import { TopologyFileError } from './topology-file-error';
import { PARSE_BUDGET_MS, PARSE_WORKER_HEAP_MB } from './topology-limits';
import type { WorkerAnswer, WorkerJob } from './topology-worker';

export interface WorkerBudget {
  /** Wall time for this file once its analysis starts; PARSE_BUDGET_MS by default. */
  timeMs?: number;
}

/** An idle worker ends after this long; the next file starts a new one. */
const IDLE_MS = 30_000;

interface Pending {
  job: WorkerJob;
  timeMs: number;
  resolve(report: TopologyReport): void;
  reject(err: Error): void;
}

let worker: Worker | undefined;
let current: (Pending & { timer: NodeJS.Timeout }) | undefined;
const queue: Pending[] = [];
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;

export function analyseInWorker(bytes: Buffer, file: string, env: Env, grammar: PublishGrammar | undefined, budget: WorkerBudget = {}): Promise<TopologyReport> {
  return new Promise<TopologyReport>((resolve, reject) => {
    // A copy of the bytes in a buffer of their own, handed over (transferred), not cloned.
    const job: WorkerJob = { id: nextId++, bytes: new Uint8Array(bytes), file, env: { ...env }, grammar };
    queue.push({ job, timeMs: budget.timeMs ?? PARSE_BUDGET_MS, resolve, reject });
    startNext();
  });
}

function startNext(): void {
  if (current) return;
  const next = queue.shift();
  if (!next) {
    idleTimer ??= setTimeout(stopWorker, IDLE_MS).unref();
    return;
  }
  clearTimeout(idleTimer);
  idleTimer = undefined;
  const w = ensureWorker();
  const timer = setTimeout(() => {
    const s = next.timeMs / 1000;
    fail(w, limit(next.job.file, `reading the file took longer than ${s} s, and was stopped`, 'containerlab topologies read in milliseconds: check the file for a runaway part (huge lists, merge keys or aliases repeated many times)'));
  }, next.timeMs);
  current = { ...next, timer };
  w.ref();
  w.postMessage(next.job, [next.job.bytes.buffer as ArrayBuffer]);
}

function finish(answer: WorkerAnswer): void {
  const job = current;
  if (!job || job.job.id !== answer.id) return;
  clearTimeout(job.timer);
  current = undefined;
  worker?.unref();
  if ('reportJson' in answer) job.resolve(JSON.parse(answer.reportJson) as TopologyReport);
  else if ('fileError' in answer) job.reject(new TopologyFileError(answer.fileError));
  else job.reject(new Error(`reading ${job.job.file} failed: ${answer.failure}`));
  startNext();
}

/** The current file failed with `err`: the worker that held it is ended, the next file gets a new one. */
function fail(w: Worker, err: Error): void {
  if (worker !== w) return;
  worker = undefined;
  void w.terminate();
  const job = current;
  current = undefined;
  if (job) {
    clearTimeout(job.timer);
    job.reject(err);
  }
  startNext();
}

function stopWorker(): void {
  idleTimer = undefined;
  if (current || !worker) return;
  void worker.terminate();
  worker = undefined;
}

const limit = (file: string, message: string, hint: string) => new TopologyFileError({ kind: 'limit', file, message, hint });

function ensureWorker(): Worker {
  if (worker) return worker;
  const w = startWorker();
  w.on('message', (answer: WorkerAnswer) => finish(answer));
  w.on('error', (err: Error & { code?: string }) => {
    const file = current?.job.file ?? 'a topology file';
    fail(
      w,
      err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? limit(file, `reading the file needs more than ${PARSE_WORKER_HEAP_MB} MiB of memory, and was stopped`, 'containerlab topologies are kilobytes: check the file for a runaway part')
        : new Error(`reading ${file} failed: ${err.message}`),
    );
  });
  w.on('exit', (code) => fail(w, new Error(`reading ${current?.job.file ?? 'a topology file'} failed: its worker ended (exit code ${code}) without an answer`)));
  worker = w;
  return w;
}

function startWorker(): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: PARSE_WORKER_HEAP_MB } };
  const script = workerScript();
  if (script.bundled) return new Worker(script.file, options);
  // From source (tests, benches, tsx): the worker compiles its TypeScript with tsx.
  const code = `require(${JSON.stringify(script.tsx)}).register(); require(${JSON.stringify(script.file)});`;
  return new Worker(code, { ...options, eval: true });
}

let located: { bundled: boolean; file: string; tsx?: string } | undefined;

/**
 * The bundles (dist-host/, .vite/build/) carry topology-worker.js beside the code that starts
 * it (vite.host.config.ts, forge.config.ts); from source it is the .ts file next to this one.
 */
function workerScript(): { bundled: boolean; file: string; tsx?: string } {
  if (located) return located;
  const js = path.join(__dirname, 'topology-worker.js');
  located = existsSync(js)
    ? { bundled: true, file: js }
    : { bundled: false, file: path.join(__dirname, 'topology-worker.ts'), tsx: createRequire(__filename).resolve('tsx/cjs/api') };
  return located;
}
