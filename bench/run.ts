/**
 * `npm run bench`: runs the default export of every `bench/*.bench.ts` and prints one JSON
 * document with all results; `npm run bench -- <name> [<name>...]` runs only those (file name
 * without `.bench.ts`). Benchmarks report their figures and whether the target was met; they
 * never fail the run, so a slow machine does not block anyone. Every process, container and
 * temp folder a bench started is cleaned up at the end, also after an error or Ctrl-C; a
 * bench that runs past BENCH_TIMEOUT_S (180 s) is aborted, cleaned up like a finished one
 * (and whatever it starts afterwards at once), reported as timed out, and the run goes on.
 * A bench that lost or corrupted bytes reports `integrity`: the run then exits non-zero.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sweepContainers } from './lib/containers';
import { inBenchScope, runCleanups } from './lib/procs';
import type { BenchResult } from './lib/result';
import { removeRunDir, sweepStaleRuns } from './lib/tmp';

type Bench = () => Promise<unknown>;

/** A bench still running after this long is reported as timed out and the run moves on. */
const BENCH_LIMIT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 180) * 1000;

/** Rejects after the limit; `stop()` clears the timer. */
function deadline(name: string): { reached: Promise<never>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const reached = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not finish within ${BENCH_LIMIT_MS / 1000} s (BENCH_TIMEOUT_S)`)), BENCH_LIMIT_MS);
  });
  return { reached, stop: () => clearTimeout(timer) };
}

/** Runs one bench in its own clean-up scope; past the limit it is aborted and cleaned up. */
let active: ReturnType<typeof inBenchScope> | undefined;

async function runBench(name: string, run: Bench): Promise<unknown> {
  const bench = inBenchScope(name, run);
  active = bench;
  const limit = deadline(name);
  try {
    return await Promise.race([bench.result, limit.reached]);
  } catch (err) {
    bench.abort(err as Error);
    throw err;
  } finally {
    limit.stop();
    active = undefined;
    bench.result.catch(() => undefined); // a bench that failed after its time is reported already
    await bench.cleanup();
    // Whatever its own clean-up missed (a container created while it was being removed).
    await sweepContainers('this run');
  }
}

/** The byte-integrity failures of a bench's results (a lost or corrupted byte), if any. */
function integrityFailures(name: string, value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return (value as BenchResult[]).flatMap((r) => (r.integrity ? [`${name}: ${r.name}: ${r.integrity}`] : []));
}

async function main(): Promise<void> {
  const all = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort();
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const files = wanted.length ? all.filter((f) => wanted.includes(f.replace(/\.bench\.ts$/, ''))) : all;
  const unknown = wanted.filter((w) => !all.includes(`${w}.bench.ts`));
  if (unknown.length) throw new Error(`no benchmark named ${unknown.join(', ')}; known: ${all.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ')}`);
  sweepStaleRuns();
  await sweepContainers('dead runs');
  const benchmarks: Record<string, unknown> = {};
  const started = performance.now();
  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, '');
    const t0 = performance.now();
    console.error(`bench: ${name} ...`);
    try {
      const mod = (await import(path.join(__dirname, file))) as { default?: Bench | { default?: Bench } };
      // tsx loads these as CommonJS: the default export may arrive wrapped once more.
      const run = typeof mod.default === 'function' ? mod.default : mod.default?.default;
      benchmarks[name] = run ? await runBench(name, run) : { error: `${file} has no default export to run` };
    } catch (err) {
      benchmarks[name] = { error: (err as Error).stack ?? String(err) };
    }
    console.error(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const cpus = os.cpus();
  const doc = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: `${cpus.length} x ${cpus[0]?.model ?? 'unknown'}`,
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
    benchmarks,
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  const broken = Object.entries(benchmarks).flatMap(([name, value]) => integrityFailures(name, value));
  if (broken.length) {
    console.error(`bench: bytes were lost or corrupted:\n  ${broken.join('\n  ')}`);
    process.exitCode = 1;
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}: cleaning up`);
    active?.abort(new Error(`interrupted (${signal})`));
    void (active?.cleanup() ?? Promise.resolve())
      .then(() => runCleanups())
      .then(() => sweepContainers('this run'))
      .finally(() => {
        removeRunDir();
        process.exit(130);
      });
  });
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await runCleanups();
    await sweepContainers('this run');
    removeRunDir();
    // A socket or timer a bench left behind must not keep the run alive after its report.
    process.exit(process.exitCode ?? 0);
  });
