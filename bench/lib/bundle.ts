/**
 * Bundles a TypeScript entry into one CommonJS file run by plain `node`, as the shipped host
 * is: no tsx loader (and its worker thread) in a child whose memory is being measured.
 * Packages stay external and load from the project's node_modules (NODE_PATH).
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { onCleanup } from './procs';
import { benchTmp } from './tmp';

const ROOT = path.resolve(__dirname, '..', '..');

export function bundle(entry: string): { file: string; env: NodeJS.ProcessEnv } {
  const dir = benchTmp('bundle');
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, `${path.basename(entry, '.ts')}.js`);
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', outfile: file, logLevel: 'error' });
  return { file, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') } };
}
