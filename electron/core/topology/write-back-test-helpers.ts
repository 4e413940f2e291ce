/**
 * Test helpers for write-back: scratch folders, and the byte-for-byte check that a file
 * changed only by the lines write-back inserted.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { parse } from 'yaml';

/** Real topology files from containerlab's repository (see its SOURCE.md). */
export const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures/containerlab-topologies');

export function fixture(name: string): string {
  const file = path.join(FIXTURES, name);
  if (!existsSync(file)) throw new Error(`missing test fixture ${file}: the containerlab corpus belongs in shared/fixtures/containerlab-topologies`);
  return readFileSync(file, 'utf8');
}

export function fixtureNames(): string[] {
  if (!existsSync(FIXTURES)) throw new Error(`missing test fixtures folder ${FIXTURES}`);
  return readdirSync(FIXTURES).filter((f) => /\.clab\.ya?ml$/.test(f)).sort();
}

export class Scratch {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'write-back-'));

  put(name: string, text: string | Buffer, mode = 0o644): string {
    const file = path.join(this.dir, name);
    writeFileSync(file, text);
    chmodSync(file, mode); // writeFileSync's mode goes through the umask
    return file;
  }

  list(): string[] {
    return readdirSync(this.dir).sort();
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * `after` must be `before` with exactly `lines` inserted as whole lines starting at 1-based
 * line `first`: taking them out again gives `before` back, byte for byte (CRLF included).
 */
export function expectInserted(before: string, after: string, first: number, lines: string[], eol = '\n'): void {
  const cr = eol.slice(0, -1); // '\r' for CRLF: split('\n') leaves it on each line
  const all = after.split('\n');
  const inserted = all.slice(first - 1, first - 1 + lines.length);
  const atEof = first - 1 + lines.length === all.length && !after.endsWith('\n');
  expect(inserted).toEqual(lines.map((l, i) => (atEof && i === lines.length - 1 ? l : l + cr)));
  all.splice(first - 1, lines.length);
  // At the end of a file without a final line break, the break moved in front of the new lines.
  expect(all.join('\n')).toBe(atEof ? before + cr : before);
  expect(lines.join('')).not.toContain('\t');
}

/** Every line but one is unchanged, and that one now reads `line`. */
export function expectLineChanged(before: string, after: string, lineNo: number, line: string): void {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  expect(b[lineNo - 1]).toBe(line);
  b[lineNo - 1] = a[lineNo - 1];
  expect(b.join('\n')).toBe(before);
}

type Obj = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

export function publishOf(text: string, node: string): unknown {
  return (parse(text, { merge: true }) as Obj).topology.nodes[node]?.publish;
}

/** Parsed independently: everything but the node's publish list reads the same. */
export function expectOnlyPublishChanged(before: string, after: string, node: string): void {
  const a = parse(before, { merge: true }) as Obj;
  const b = parse(after, { merge: true }) as Obj;
  for (const doc of [a, b]) {
    const n = doc.topology.nodes[node];
    if (n) delete n.publish;
    else doc.topology.nodes[node] = {};
  }
  expect(isDeepStrictEqual(a, b)).toBe(true);
}
