/**
 * `npm run bench`: runs the default export of every `bench/*.bench.ts` and prints one JSON
 * document with all results. Benchmarks report (median, p95, target, met); they never fail
 * the run, so a slow machine does not block anyone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Bench = () => Promise<unknown>;

async function main(): Promise<void> {
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort();
  const benchmarks: Record<string, unknown> = {};
  for (const file of files) {
    const mod = (await import(path.join(__dirname, file))) as { default?: Bench | { default?: Bench } };
    // tsx loads these as CommonJS: the default export may arrive wrapped once more.
    const run = typeof mod.default === 'function' ? mod.default : mod.default?.default;
    const name = file.replace(/\.bench\.ts$/, '');
    benchmarks[name] = run ? await run() : { error: `${file} has no default export to run` };
  }
  const cpus = os.cpus();
  const doc = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: `${cpus.length} x ${cpus[0]?.model ?? 'unknown'}`,
    benchmarks,
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
