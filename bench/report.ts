/**
 * Turns the JSON document `npm run bench` printed into the Markdown table of the README's
 * "Benchmarks" section: `npx tsx bench/report.ts results.json` (or the JSON on stdin).
 */
import fs from 'node:fs';
import type { BenchResult } from './lib/result';

interface CheckCase {
  name: string;
  p95Ms: number;
  targetMs: number;
  met: boolean;
}

const fmt = (n: number | null | undefined, unit = '') =>
  n === null || n === undefined ? '–' : `${n.toLocaleString('en', { maximumFractionDigits: n >= 100 ? 0 : n >= 10 ? 1 : 2 })}${unit ? ` ${unit}` : ''}`;

function rows(bench: string, value: unknown): string[] {
  if (Array.isArray(value)) {
    return (value as BenchResult[]).map((r) => {
      if (r.error) return `| ${r.name} | ${r.error.split('\n')[0]} | | | ${r.target} | ${r.error.startsWith('skipped') ? 'skipped' : 'error'} | |`;
      const unit = r.unit.split(' ')[0];
      const base = Object.entries(r.baselines)
        .map(([k, v]) => `${k}: ${fmt(v, unit)}`)
        .join('; ');
      return `| ${r.name} | ${fmt(r.app, unit)} | ${base || '–'} | ${r.ratio === null ? '–' : `${r.ratio}×`} | ${r.target} | ${r.met ? 'yes' : 'no'} | ${r.note ?? ''} |`;
    });
  }
  const cases = (value as { cases?: CheckCase[]; error?: string }).cases;
  if (!cases) return [`| ${bench} | ${(value as { error?: string }).error?.split('\n')[0] ?? 'no result'} | | | | error | |`];
  return cases.map((c) => `| check: ${c.name} (p95) | ${fmt(c.p95Ms, 'ms')} | – | – | ≤ ${c.targetMs} ms | ${c.met ? 'yes' : 'no'} | |`);
}

const text = fs.readFileSync(process.argv[2] ?? 0, 'utf8');
const doc = JSON.parse(text.slice(text.indexOf('{'))) as { date: string; node: string; cpu: string; totalSeconds?: number; benchmarks: Record<string, unknown> };
const out = [
  `Measured ${doc.date.slice(0, 10)} on ${doc.cpu}, Node ${doc.node}${doc.totalSeconds ? `, whole run ${doc.totalSeconds} s` : ''}.`,
  '',
  '| Benchmark | App | Baselines (same run) | Ratio | Target | Met | Notes |',
  '|---|---|---|---|---|---|---|',
  ...Object.entries(doc.benchmarks).flatMap(([k, v]) => rows(k, v)),
];
process.stdout.write(`${out.join('\n')}\n`);
