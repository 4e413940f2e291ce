import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppError } from '../../../shared/rpc-errors';
import { writeFileAtomically } from './atomic-write';
import { addPublishEntry } from './write-back';
import { addEntryToText } from './write-back-edit';
import { expectInserted, expectLineChanged, expectOnlyPublishChanged, fixture, fixtureNames, publishOf, Scratch } from './write-back-test-helpers';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
/** 1-based line holding `text` (which must be unique enough to be found first). */
const lineNo = (file: string, text: string) => file.slice(0, file.indexOf(text)).split('\n').length;

// Hand-written: comments everywhere, every style a node can be written in.
const LAB = `# write-back test lab: comments everywhere, mixed styles
name: wb-lab   # the lab
prefix: ""

mgmt:
  network: custom   # not clab
  ipv4-subnet: 172.100.100.0/24

topology:
  # defaults apply to every node
  defaults:
    env: {A: "1"}
  kinds:
    nokia_srlinux:   # the SR Linux kind
      image: ghcr.io/nokia/srlinux:24.10
      type: ixrd3l
  nodes:
    # the spine
    spine1:
      kind: nokia_srlinux
      publish:
        - tcp/22      # ssh
        - 'tcp/57400' # gNMI, quoted on purpose

    leaf1:
      kind: nokia_srlinux   # no publish yet
      labels: {role: leaf}
      binds:
        - ./configs/leaf1.cfg:/etc/x.cfg:ro
      # keep this comment where it is

    client1: {kind: linux, image: alpine:3, publish: [http/8080]}   # flow node
    client2: {kind: linux, image: "alpine:3"}
    empty1:
    anchored: &base
      kind: linux
  links:
    # spine to leaf
    - endpoints: ["spine1:e1-1", "leaf1:e1-49"]
    - endpoints: [client1:eth1, leaf1:e1-1]  # unquoted
`;

// containerlab: the node's list if non-empty, else its group's, else its kind's, else defaults'.
const INHERIT = `name: inherit   # inheritance cases
topology:
  defaults:
    publish:
      - tcp/22   # every node: ssh
  kinds:
    srl:
      publish: ["tcp/57400", tcp/22]
  groups:
    web:
      kind: linux
      publish:
        - http/80
    plain:
      kind: srl
  nodes:
    by-kind:
      kind: srl
    by-group:
      group: web
    via-group-kind:
      group: plain
    by-defaults:
      kind: linux
    own-empty:
      kind: srl
      publish: []   # empty: containerlab falls back to the kind's list
`;

let scratch: Scratch;
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(() => scratch.dispose());

async function add(text: string, node: string, entry: string, name = 'lab.clab.yml') {
  const file = scratch.put(name, text);
  const result = await addPublishEntry({ file, node, entry });
  const after = readFileSync(file, 'utf8');
  expect(after.split('\n')[result.line - 1]).toContain(entry);
  expect(result.hash).toBe(sha(readFileSync(file)));
  expect((publishOf(after, node) as unknown[]).at(-1)).toBe(entry);
  expectOnlyPublishChanged(text, after, node);
  return { file, after, result };
}

describe('addPublishEntry: where the entry goes', () => {
  it('appends to a block list at its indentation, in the quoting its last item uses', async () => {
    const { after, result } = await add(LAB, 'spine1', 'https/443/alice@example.com');
    const first = lineNo(LAB, "- 'tcp/57400'") + 1;
    expectInserted(LAB, after, first, ["        - 'https/443/alice@example.com'"]);
    expect(result.line).toBe(first);
    expect(publishOf(after, 'spine1')).toEqual(['tcp/22', 'tcp/57400', 'https/443/alice@example.com']);
  });

  it('writes udp/161 beside a tcp entry of the same port, and keeps it when the next entry is added', async () => {
    const one = await add(LAB, 'client1', 'udp/161');
    expect(publishOf(one.after, 'client1')).toEqual(['http/8080', 'udp/161']);
    const two = await add(one.after, 'client1', 'tcp/161');
    expect(publishOf(two.after, 'client1')).toEqual(['http/8080', 'udp/161', 'tcp/161']);
  });

  it('adds a publish key after the last setting of a node without one, before the comment that follows', async () => {
    const { after, result } = await add(LAB, 'leaf1', 'tcp/22');
    const first = lineNo(LAB, '- ./configs/leaf1.cfg') + 1;
    expectInserted(LAB, after, first, ['      publish:', '        - tcp/22']);
    expect(result.line).toBe(first + 1);
  });

  it('rewrites only the flow list of a node written on one line', async () => {
    const { after, result } = await add(LAB, 'client1', 'tcp/22');
    const line = lineNo(LAB, 'client1:');
    expectLineChanged(LAB, after, line, '    client1: {kind: linux, image: alpine:3, publish: [http/8080, tcp/22]}   # flow node');
    expect(result.line).toBe(line);
  });

  it('adds a publish list inside a node written as a flow map', async () => {
    const { after } = await add(LAB, 'client2', 'https/443/alice@example.com,bob@example.com');
    // The comma would split a flow list: the entry is quoted there.
    expectLineChanged(LAB, after, lineNo(LAB, 'client2:'), '    client2: {kind: linux, image: "alpine:3", publish: ["https/443/alice@example.com,bob@example.com"]}');
  });

  it('fills a node that has no settings at all', async () => {
    const { after } = await add(LAB, 'empty1', 'tcp/22');
    expectInserted(LAB, after, lineNo(LAB, 'empty1:') + 1, ['      publish:', '        - tcp/22']);
  });

  it('keeps CRLF line endings', async () => {
    const crlf = LAB.replace(/\n/g, '\r\n');
    const { after } = await add(crlf, 'leaf1', 'tcp/22');
    expectInserted(crlf, after, lineNo(crlf, '- ./configs/leaf1.cfg') + 1, ['      publish:', '        - tcp/22'], '\r\n');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    const appended = await add(crlf, 'spine1', 'tcp/830', 'again.clab.yml');
    expectInserted(crlf, appended.after, lineNo(crlf, "- 'tcp/57400'") + 1, ["        - 'tcp/830'"], '\r\n');
  });

  it('keeps a file without a final line break without one', async () => {
    const noEol = 'name: x # no newline at the end\ntopology:\n  nodes:\n    a:\n      kind: linux';
    const { after } = await add(noEol, 'a', 'tcp/22');
    expect(after.endsWith('\n')).toBe(false);
    expectInserted(noEol, after, 6, ['      publish:', '        - tcp/22']);

    const listAtEnd = 'topology:\r\n  nodes:\r\n    a:\r\n      publish:\r\n      - tcp/22';
    const crlf = await add(listAtEnd, 'a', 'http/80', 'crlf.clab.yml');
    expect(crlf.after).toBe(`${listAtEnd}\r\n      - http/80`);
  });
});

describe('addEntryToText: odd layouts, exact results', () => {
  const N = 'topology:\n  nodes:\n';
  it.each([
    ['a compact list in the middle of a node', '    a:\n      publish:\n      - tcp/22\n      image: x\n', '    a:\n      publish:\n      - tcp/22\n      - http/80\n      image: x\n'],
    ['the spacing after the dash', '    a:\n      publish:\n        -   tcp/22\n', '    a:\n      publish:\n        -   tcp/22\n        -   http/80\n'],
    ['a kept (|+) block scalar: after its blank lines', '    a:\n      cfg: |+\n        foo\n\n    b: {}\n', '    a:\n      cfg: |+\n        foo\n\n      publish:\n        - http/80\n    b: {}\n'],
    ['a clipped (|) block scalar: before the blank line', '    a:\n      cfg: |\n        foo\n\n    b: {}\n', '    a:\n      cfg: |\n        foo\n      publish:\n        - http/80\n\n    b: {}\n'],
    ['an explicit null node with a comment', '    a: ~ # nothing yet\n    b: {}\n', '    a: # nothing yet\n      publish:\n        - http/80\n    b: {}\n'],
    ['an empty publish key', '    a:\n      publish: # later\n      kind: linux\n', '    a:\n      publish: # later\n        - http/80\n      kind: linux\n'],
    ['a multi-line flow list with a comment', '    a:\n      publish: [\n        tcp/22, # ssh\n      ]\n', '    a:\n      publish: [\n        tcp/22, http/80, # ssh\n      ]\n'],
    ['an empty flow map', '    a: {}\n', '    a: {publish: [http/80]}\n'],
  ])('%s', (_what, nodes, expected) => {
    expect(addEntryToText(N + nodes, 'f.yml', 'a', 'http/80').text).toBe(N + expected);
  });

  it('a flow map of nodes', () => {
    const flow = 'topology:\n  nodes: {a: {kind: x}, b: {}}  # flow\n';
    expect(addEntryToText(flow, 'f.yml', 'a', 'http/80').text).toBe('topology:\n  nodes: {a: {kind: x, publish: [http/80]}, b: {}}  # flow\n');
  });

  it('keeps a byte order mark', () => {
    const bom = `\uFEFF${N}    a:\n      kind: linux\n`;
    expect(addEntryToText(bom, 'f.yml', 'a', 'http/80').text).toBe(`${bom}      publish:\n        - http/80\n`);
  });

  it.each([
    ['publish that is not a list', '    a:\n      publish: tcp/22\n', /does not hold a list/],
    ['a node that is a plain value', '    a: linux\n', /not written as a map/],
    ['an empty value with a tag', '    a:\n      publish: !!null\n', /carries a YAML tag/],
    ['a shared publish list', '    a:\n      publish: &p [tcp/1]\n    b:\n      publish: *p\n', /anchor &p/],
  ])('refuses %s', (_what, nodes, message) => {
    expect(() => addEntryToText(N + nodes, 'f.yml', 'a', 'http/80')).toThrow(message);
  });

  it('refuses YAML that does not parse, saying where', () => {
    expect(() => addEntryToText(`${N}    a: 1\n    a: 2\n`, 'f.yml', 'a', 'http/80')).toThrow(/f\.yml is not valid YAML \(line 4\): Map keys must be unique$/);
  });
});

describe('addPublishEntry: inherited lists are copied, since a node list replaces them', () => {
  const comment = (from: string) => `      # copied from ${from}: a node's list replaces the inherited one`;
  it.each([
    ['by-kind', 'kinds.srl.publish', ['tcp/57400', 'tcp/22']],
    ['by-group', 'groups.web.publish', ['http/80']],
    ['via-group-kind', 'kinds.srl.publish', ['tcp/57400', 'tcp/22']],
    ['by-defaults', 'defaults.publish', ['tcp/22']],
  ])('%s: copies %s above the new entry, with a comment', async (node, from, copied) => {
    const { after } = await add(INHERIT, node, 'tcp/830');
    const first = lineNo(INHERIT, `${node}:`) + 2;
    expectInserted(INHERIT, after, first, [comment(from), '      publish:', ...copied.map((e) => `        - ${e}`), '        - tcp/830']);
    expect(publishOf(after, node)).toEqual([...copied, 'tcp/830']);
  });

  it('fills an empty own list with the inherited entries', async () => {
    const { after } = await add(INHERIT, 'own-empty', 'tcp/830');
    const line = lineNo(INHERIT, 'publish: []');
    const lines = after.split('\n');
    expect(lines[line - 1]).toBe(comment('kinds.srl.publish'));
    expect(lines[line]).toBe('      publish: [tcp/57400, tcp/22, tcp/830]   # empty: containerlab falls back to the kind\'s list');
    lines.splice(line - 1, 2, INHERIT.split('\n')[line - 1]);
    expect(lines.join('\n')).toBe(INHERIT);
  });

  it('copies a list that comes from a merge key (<<)', async () => {
    const merged = 'base: &b\n  publish: [tcp/1]\ntopology:\n  nodes:\n    a:\n      <<: *b\n      kind: x\n';
    const { after } = await add(merged, 'a', 'tcp/2');
    expectInserted(merged, after, 8, ["      # copied from the anchor merged in with <<: a node's list replaces the inherited one", '      publish:', '        - tcp/1', '        - tcp/2']);
  });
});

describe('addPublishEntry: refusals leave the file alone', () => {
  async function expectRefused(text: string, opts: { node: string; entry: string; expectedHash?: string }, code: string, message: RegExp) {
    const file = scratch.put('lab.clab.yml', text);
    const before = scratch.list();
    const err = await addPublishEntry({ file, ...opts }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    expect((err as AppError).message).toMatch(message);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(scratch.list()).toEqual(before); // no backup, no temporary file
    return err as AppError;
  }

  it('refuses when the file changed on disk since the caller read it', async () => {
    const err = await expectRefused(LAB, { node: 'leaf1', entry: 'tcp/22', expectedHash: sha(`${LAB}# edited\n`) }, 'conflict', /^the topology file changed on disk since it was read: /);
    expect(err.hint).toBe('reload it in the app and try again');
  });

  it('refuses an entry the node already publishes, from its own list or an inherited one', async () => {
    await expectRefused(LAB, { node: 'spine1', entry: 'tcp/57400' }, 'conflict', /spine1 already publishes tcp\/57400/);
    await expectRefused(LAB, { node: 'client1', entry: 'HTTP/8080' }, 'conflict', /already publishes http\/8080/);
    await expectRefused(INHERIT, { node: 'by-kind', entry: 'tcp/22' }, 'conflict', /inherited from kinds\.srl\.publish/);
  });

  it('refuses an unknown node and names the ones there are', async () => {
    const err = await expectRefused(LAB, { node: 'leaf9', entry: 'tcp/22' }, 'not_found', /node leaf9 is not in topology\.nodes/);
    expect(err.hint).toBe('nodes in this file: spine1, leaf1, client1, client2, empty1, anchored');
  });

  it('refuses a Go template that is not YAML until rendered', async () => {
    const err = await expectRefused(fixture('tests_01-smoke_29-apply.clab.yml'), { node: 'l1', entry: 'tcp/22' }, 'refused', /is a Go template/);
    expect(err.hint).toMatch(/by hand/);
  });

  it('refuses to change a node other nodes share through an anchor', async () => {
    const shared = 'topology:\n  nodes:\n    a: &n\n      kind: linux\n    b: *n\n';
    await expectRefused(shared, { node: 'a', entry: 'tcp/22' }, 'refused', /anchor &n/);
    await expectRefused(shared, { node: 'b', entry: 'tcp/22' }, 'refused', /alias/);
  });
});

describe('addPublishEntry: the write', () => {
  it('keeps the previous bytes in <file>.bak and chains through the returned hash', async () => {
    const file = scratch.put('lab.clab.yml', LAB);
    const first = await addPublishEntry({ file, node: 'leaf1', entry: 'tcp/22', expectedHash: sha(LAB) });
    expect(first.backupFile).toBe(`${file}.bak`);
    expect(readFileSync(first.backupFile, 'utf8')).toBe(LAB);
    const afterFirst = readFileSync(file, 'utf8');
    const second = await addPublishEntry({ file, node: 'leaf1', entry: 'tcp/57400', expectedHash: first.hash });
    expect(readFileSync(second.backupFile, 'utf8')).toBe(afterFirst);
    expect(publishOf(readFileSync(file, 'utf8'), 'leaf1')).toEqual(['tcp/22', 'tcp/57400']);
  });

  it('writes timestamped backups into backupDir instead, never beside the file', async () => {
    const file = scratch.put('lab.clab.yml', LAB);
    const backupDir = path.join(scratch.dir, 'backups', 'deep');
    const a = await addPublishEntry({ file, node: 'leaf1', entry: 'tcp/22', backupDir });
    const b = await addPublishEntry({ file, node: 'leaf1', entry: 'tcp/830', backupDir });
    expect(path.dirname(a.backupFile)).toBe(backupDir);
    expect(path.basename(a.backupFile)).toMatch(/^lab\.clab\.yml\.\d{4}-\d\d-\d\dT.*\.bak$/);
    expect(b.backupFile).not.toBe(a.backupFile);
    expect(readFileSync(a.backupFile, 'utf8')).toBe(LAB);
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  it.each([0o640, 0o600, 0o664])('preserves mode %o (for the file and its backup)', async (mode) => {
    const file = scratch.put('lab.clab.yml', LAB, mode);
    const { backupFile } = await addPublishEntry({ file, node: 'leaf1', entry: 'tcp/22' });
    expect(statSync(file).mode & 0o7777).toBe(mode);
    expect(statSync(backupFile).mode & 0o7777).toBe(mode);
  });

  it('writes through a symlink to its target and keeps the link', async () => {
    const target = scratch.put('real.clab.yml', LAB);
    const link = path.join(scratch.dir, 'link.clab.yml');
    symlinkSync(target, link);
    await addPublishEntry({ file: link, node: 'leaf1', entry: 'tcp/22' });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(publishOf(readFileSync(target, 'utf8'), 'leaf1')).toEqual(['tcp/22']);
  });

  it('serialises concurrent saves to one file so neither entry is lost', async () => {
    const file = scratch.put('lab.clab.yml', LAB);
    await Promise.all(['tcp/22', 'tcp/830', 'tcp/57400'].map((entry) => addPublishEntry({ file, node: 'leaf1', entry })));
    expect((publishOf(readFileSync(file, 'utf8'), 'leaf1') as string[]).sort()).toEqual(['tcp/22', 'tcp/57400', 'tcp/830']);
  });

  it('leaves the original untouched and no temporary file when the write fails', async () => {
    const file = scratch.put('lab.clab.yml', LAB);
    const notADir = scratch.put('plain-file', 'x');
    const before = scratch.list();
    const err = await addPublishEntry({ file, node: 'leaf1', entry: 'tcp/22', backupDir: path.join(notADir, 'sub') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(readFileSync(file, 'utf8')).toBe(LAB);
    expect(scratch.list()).toEqual(before);
  });

  it('replaces nothing when the last check before the rename fails', async () => {
    const file = scratch.put('lab.clab.yml', 'old');
    const check = () => Promise.reject(new Error('changed meanwhile'));
    await expect(writeFileAtomically(file, Buffer.from('new'), { previous: Buffer.from('old'), beforeReplace: check })).rejects.toThrow('changed meanwhile');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(scratch.list()).toEqual(['lab.clab.yml']);
  });

  it('refuses (conflict) when the file was replaced while the edit was prepared', async () => {
    const file = scratch.put('lab.clab.yml', LAB);
    const err = await writeFileAtomically(file, Buffer.from('new'), {
      previous: Buffer.from(LAB),
      beforeReplace: async () => {
        writeFileSync(file, `${LAB}# someone else\n`);
        throw new AppError('conflict', 'changed');
      },
    }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('conflict');
    expect(readFileSync(file, 'utf8')).toBe(`${LAB}# someone else\n`);
  });
});

describe('addPublishEntry on containerlab\'s own topology files', () => {
  const TEMPLATES = new Set(['tests_01-smoke_29-apply.clab.yml', 'tests_13-srsim_11-srsim-apply.clab.yml']);
  const files = fixtureNames().filter((f) => !TEMPLATES.has(f));

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(80);
  });

  it.each(files)('%s: every node gets its entry as inserted lines only', (name) => {
    const text = fixture(name);
    const nodes = Object.keys((parse(text) as { topology: { nodes: object } }).topology.nodes);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      const { text: after, line } = addEntryToText(text, name, node, 'tcp/2222');
      const a = text.split('\n');
      const b = after.split('\n');
      let first = 0;
      while (first < a.length && a[first] === b[first]) first++;
      const count = b.length - a.length;
      expect(count).toBeGreaterThanOrEqual(2);
      expectInserted(text, after, first + 1, b.slice(first, first + count));
      for (const l of b.slice(first, first + count)) expect(l).toMatch(/^ +(# copied from .*|publish:|- tcp\/2222)$/);
      expect(b[line - 1].trim()).toBe('- tcp/2222');
      expect(publishOf(after, node)).toEqual(['tcp/2222']);
      expectOnlyPublishChanged(text, after, node);
    }
  });

  it('writes a real file with groups and a node that has no settings (24-basic-groups, l3)', async () => {
    const text = fixture('tests_01-smoke_24-basic-groups.clab.yaml');
    const { after } = await add(text, 'l3', 'tcp/22', 'groups.clab.yaml');
    expectInserted(text, after, lineNo(text, '    l3:') + 1, ['      publish:', '        - tcp/22']);
  });

  it('edits a file whose templates sit inside quoted strings (30-bridge-reconcile)', async () => {
    const text = fixture('tests_01-smoke_30-bridge-reconcile.clab.yml');
    const { after } = await add(text, 'n1', 'tcp/22', 'reconcile.clab.yml');
    expectInserted(text, after, lineNo(text, 'cmd: tail -f /dev/null') + 1, ['      publish:', '        - tcp/22']);
  });

  it('keeps a real file without a final line break that way (single-topo-folder lab1)', async () => {
    const text = fixture('tests_01-smoke_single-topo-folder_lab1.clab.yml');
    expect(text.endsWith('image: alpine:3')).toBe(true);
    const { after } = await add(text, 'node1', 'http/80', 'lab1.clab.yml');
    expect(after).toBe(`${text}\n      publish:\n        - http/80`);
  });
});
