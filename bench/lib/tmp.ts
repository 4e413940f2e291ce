/**
 * Temp folders of a bench run live under one folder named after the runner's pid, removed at
 * the end of the run; folders of runs that died without cleaning up are swept at the next.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'clab-bench-run-';
const runDir = path.join(os.tmpdir(), `${PREFIX}${process.pid}`);

/** A new temp folder for this run (deleted with the run's folder if not before). */
export function benchTmp(name: string): string {
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  return fs.mkdtempSync(path.join(runDir, `${name}-`));
}

export function removeRunDir(): void {
  fs.rmSync(runDir, { recursive: true, force: true });
}

/** Removes the folders of earlier runs whose process is gone. */
export function sweepStaleRuns(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length));
    if (pid === process.pid || (pid && alive(pid))) continue;
    try {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    } catch (err) {
      // Something still writes there (a child of that run that outlived it): not this run's to fail on.
      console.error(`bench: could not remove ${name}: ${(err as Error).message}`);
    }
  }
}

/** Whether process `pid` still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
