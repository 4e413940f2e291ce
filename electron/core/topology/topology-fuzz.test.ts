/**
 * Fuzzing the topology reader with YAML-ish documents: nodes, anchors, aliases and merge
 * keys (fanned out and chained), `${VAR}` expressions whole and broken, long lines, stray
 * brackets and bad indentation. Whatever the text, the reader answers with a report or a
 * TopologyFileError (never another exception) within a time budget per document; the
 * budget is a hang detector, far above what any of these documents take.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTopology, parseTopology } from './load-topology';
import { TopologyFileError } from './topology-file-error';

const BUDGET_MS = 3000;
const ENV = { A: 'a', PORT: '22', EMPTY: '', BRACE: '}', DOLLAR: '$A' };

const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,7}$/);
const junk = fc.string({ unit: fc.constantFrom('$', '{', '}', '[', ']', ':', ' ', '-', '*', '&', '<', '\n', '"', "'", 'a', '1', '#', '\t') });
const envRef = fc.oneof(
  fc.constantFrom('${A}', '$A', '${PORT}', '${NOPE}', '${NOPE:-tcp/22}', '${EMPTY:=x}', '${A+y}', '${BRACE}', '$$A', '${DOLLAR}', '${', '${A', '${A:-${B:-c}}'),
  fc.integer({ min: 1, max: 2000 }).map((n) => '${a'.repeat(n)),
);
const scalar = fc.oneof(word, envRef, fc.integer({ min: 0, max: 70000 }).map(String), fc.constantFrom('~', '""', "'x'", 'tcp/22', 'tls/443/a@b.c', 'ssh/22/policy', '{{ .x }}'));
const publish = fc.array(fc.oneof(scalar, fc.constantFrom('tcp/${PORT}', 'http/80', '*anchor0', '{a: 1}', '[1, 2]')), { maxLength: 6 });

interface Doc {
  anchors: { width: number; depth: number };
  nodes: { name: string; kind: string; publish: string[]; merge: boolean; alias: boolean; extra: string }[];
  tail: string;
  indentSlip: boolean;
}

const doc: fc.Arbitrary<Doc> = fc.record({
  anchors: fc.record({ width: fc.integer({ min: 1, max: 10 }), depth: fc.integer({ min: 0, max: 9 }) }),
  nodes: fc.array(fc.record({ name: fc.oneof(word, envRef), kind: scalar, publish, merge: fc.boolean(), alias: fc.boolean(), extra: fc.oneof(fc.constant(''), junk) }), { maxLength: 40 }),
  tail: fc.oneof(fc.constant(''), junk, fc.integer({ min: 1, max: 3000 }).map((n) => `nodes${': {x: *a0}'.repeat(n)}`)),
  indentSlip: fc.boolean(),
});

/** Anchors a0..aN, each merging the one below `width` times: the fan-out that froze the core. */
function render(d: Doc): string {
  const out = ['name: fuzz', 'a0: &a0 {kind: linux, image: alpine}', 'anchor0: &anchor0 tcp/8080'];
  for (let i = 1; i <= d.anchors.depth; i++) out.push(`a${i}: &a${i} {<<: [${Array(d.anchors.width).fill(`*a${i - 1}`).join(', ')}], k${i}: v}`);
  out.push('topology:', '  nodes:');
  const top = `*a${d.anchors.depth}`;
  for (const n of d.nodes) {
    out.push(`    ${n.name}:${n.alias ? ` ${top}` : ''}`);
    if (n.alias) continue;
    if (n.merge) out.push(`      <<: ${top}`);
    out.push(`${d.indentSlip ? '     ' : '      '}kind: ${n.kind}`);
    out.push(`      publish: [${n.publish.join(', ')}]`);
    if (n.extra) out.push(`      ${n.extra}`);
  }
  if (d.tail) out.push(d.tail);
  return out.join('\n') + '\n';
}

function readsOrRefuses(text: string): void {
  const started = performance.now();
  try {
    parseTopology(text, '/labs/fuzz.clab.yml', { env: ENV });
  } catch (err) {
    if (!(err instanceof TopologyFileError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
    expect(err.hint.length).toBeGreaterThan(0);
  }
  expect(performance.now() - started).toBeLessThan(BUDGET_MS);
}

describe('topology reader fuzz', () => {
  it('reads or refuses every YAML-ish document, within its time budget', { timeout: 120_000 }, () => {
    fc.assert(fc.property(doc, (d) => readsOrRefuses(render(d))), { numRuns: 100 });
  });

  it('reads or refuses arbitrary text the same way', () => {
    fc.assert(fc.property(junk, (s) => readsOrRefuses(`name: x\ntopology:\n  nodes:\n${s}`)), { numRuns: 500 });
  });

  it('answers through the worker for documents of every size, within its time budget', { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'topo-fuzz-'));
    try {
      await fc.assert(
        fc.asyncProperty(doc, fc.integer({ min: 0, max: 20_000 }), async (d, pad) => {
          const file = path.join(dir, 'fuzz.clab.yml');
          fs.writeFileSync(file, render(d) + `#${'x'.repeat(pad * 60)}\n`);
          const started = performance.now();
          const answer = await loadTopology(file, { env: ENV }).catch((err: unknown) => err);
          if (!('labName' in (answer as object))) expect(answer).toBeInstanceOf(TopologyFileError);
          expect(performance.now() - started).toBeLessThan(BUDGET_MS + 2000);
        }),
        { numRuns: 15 },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
