/**
 * `clab-publisher check` end to end, in process: read + env expansion + YAML + inheritance +
 * entry checks + provider validation + the text report, on a 500-node, 1,000-entry topology
 * in each grammar. Target: 1,000 ms per check (p95).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCheck } from '../electron/host/check-command';
import { loadTopology } from '../electron/core/topology/load-topology';
import { checkForProvider, type ProviderKind } from '../electron/core/topology/provider-check';
import { largeTopology, type BenchGrammar } from './large-topology';
import { measure } from './timing';

const TARGET_MS = 1000;
const ITERATIONS = 20;

export default async function checkBench(): Promise<unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-bench-'));
  try {
    const cases = [];
    // The last case also times the error path: local cannot enforce the access lists.
    const runs: Array<[BenchGrammar, ProviderKind]> = [
      ['border0', 'border0'],
      ['mysocketio', 'border0'],
      ['mysocketio', 'local'],
    ];
    for (const [grammar, provider] of runs) {
      const { text, expectedEntries } = largeTopology(grammar);
      const file = path.join(dir, `${grammar}-${provider}.clab.yml`);
      fs.writeFileSync(file, text);
      // What one run produces, so the figures are known to measure the real work.
      const report = await loadTopology(file, { env: {} });
      const sink = { stdout: () => undefined, stderr: () => undefined };
      let exitCode = -1;
      const timing = await measure(async () => {
        exitCode = await runCheck({ file, json: false, provider }, sink, {});
      }, ITERATIONS);
      cases.push({
        name: `${grammar} grammar, provider ${provider}`,
        nodes: report.nodes.length,
        entries: report.entries.length,
        expectedEntries,
        errors: report.diagnostics.filter((d) => d.severity === 'error').length + checkForProvider(report, provider).length,
        exitCode,
        fileBytes: Buffer.byteLength(text),
        ...timing,
        targetMs: TARGET_MS,
        met: timing.p95Ms <= TARGET_MS,
      });
    }
    return { description: 'clab-publisher check, end to end in process (load, resolve, provider validation, report)', cases };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
