import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTopology, parseTopology } from './load-topology';
import { TopologyFileError } from './topology-file-error';

const FILE = '/labs/demo/demo.clab.yml';
const lines = (...l: string[]) => l.join('\n') + '\n';
/** 1-based line of the first line containing `needle` (so tests survive edits above it). */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

function fileError(fn: () => unknown): TopologyFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TopologyFileError) return err;
    throw err;
  }
  throw new Error('expected a TopologyFileError');
}

describe('container names', () => {
  const topo = (prefixLine: string) => lines('name: lab1', prefixLine, 'topology:', '  nodes:', '    r1:', '      kind: linux');
  it.each([
    ['', 'clab-lab1-r1', undefined],
    ['prefix: ~', 'clab-lab1-r1', undefined],
    ['prefix: acme', 'acme-lab1-r1', 'acme'],
    ['prefix: __lab-name', 'lab1-r1', '__lab-name'],
    ['prefix: ""', 'r1', ''],
  ])('%s -> %s', (prefixLine, name, prefix) => {
    const r = parseTopology(topo(prefixLine), FILE);
    expect(r.nodes[0].containerName).toBe(name);
    expect(r.prefix).toBe(prefix);
    expect(r.labDir).toBe('clab-lab1');
  });

  it('names ext-container nodes as written, and marks kinds without a container', () => {
    const r = parseTopology(lines('name: x', 'topology:', '  nodes:', '    k1-control-plane:', '      kind: ext-container', '    br1:', '      kind: bridge', '    k1:', '      kind: k8s-kind'), FILE);
    expect(r.nodes.map((n) => [n.containerName, n.noContainer ?? false])).toEqual([
      ['k1-control-plane', false],
      ['clab-x-br1', true],
      ['clab-x-k1', true],
    ]);
  });
});

const INHERIT = lines(
  'name: inh',
  'topology:',
  '  defaults:',
  '    kind: linux',
  '    image: alpine:3',
  '    group: edge',
  '    publish:',
  '      - tcp/22',
  '  kinds:',
  '    nokia_srlinux:',
  '      image: ghcr.io/nokia/srlinux',
  '      type: ixr-d2l',
  '      publish:',
  '        - tcp/57400',
  '        - https/443',
  '  groups:',
  '    core:',
  '      kind: nokia_srlinux',
  '      publish:',
  '        - http/8080',
  '    edge:',
  '      image: edge:1',
  '  nodes:',
  '    spine1:',
  '      group: core',
  '    leaf1:',
  '      kind: Nokia_SRLinux',
  '    host1:',
  '    host2:',
  '      publish: [tcp/80]',
);

describe('inheritance', () => {
  it('resolves kind, group, image and type as containerlab does (node, group, kind, defaults)', () => {
    const r = parseTopology(INHERIT.replace('Nokia_SRLinux', 'nokia_srlinux'), FILE);
    expect(r.nodes.map(({ name, kind, group, image, type }) => ({ name, kind, group, image, type }))).toEqual([
      { name: 'spine1', kind: 'nokia_srlinux', group: 'core', image: 'ghcr.io/nokia/srlinux', type: 'ixr-d2l' },
      // The defaults' group comes before the kind: its image wins over the kind's.
      { name: 'leaf1', kind: 'nokia_srlinux', group: 'edge', image: 'edge:1', type: 'ixr-d2l' },
      { name: 'host1', kind: 'linux', group: 'edge', image: 'edge:1', type: undefined },
      { name: 'host2', kind: 'linux', group: 'edge', image: 'edge:1', type: undefined },
    ]);
  });

  it('takes the most specific non-empty publish list whole, pointing at where it is written', () => {
    const text = INHERIT.replace('Nokia_SRLinux', 'nokia_srlinux');
    const r = parseTopology(text, FILE);
    expect(r.diagnostics).toEqual([]);
    expect(r.entries.map((e) => [e.node, e.text, e.inheritedFrom, e.location.line, e.location.column, e.socketName])).toEqual([
      ['spine1', 'http/8080', 'group', lineOf(text, 'http/8080'), 11, 'clab-spine1-http-8080'],
      ['leaf1', 'tcp/57400', 'kind', lineOf(text, 'tcp/57400'), 11, 'clab-leaf1-tcp-57400'],
      ['leaf1', 'https/443', 'kind', lineOf(text, 'https/443'), 11, 'clab-leaf1-https-443'],
      ['host1', 'tcp/22', 'defaults', lineOf(text, 'tcp/22'), 9, 'clab-host1-tcp-22'],
      ['host2', 'tcp/80', 'node', lineOf(text, 'tcp/80'), 17, 'clab-host2-tcp-80'],
    ]);
    expect(r.entries[0].containerName).toBe('clab-inh-spine1');
  });

  it('lower-cases the kind like containerlab, but looks it up in kinds as written', () => {
    const r = parseTopology(INHERIT, FILE);
    const leaf = r.nodes.find((n) => n.name === 'leaf1');
    expect(leaf?.kind).toBe('nokia_srlinux');
    // `kinds.nokia_srlinux` does not match `Nokia_SRLinux`: the image comes from group edge.
    expect(leaf?.type).toBeUndefined();
    expect(r.entries.filter((e) => e.node === 'leaf1').map((e) => e.inheritedFrom)).toEqual(['defaults']);
  });

  it('follows YAML anchors and merge keys', () => {
    const r = parseTopology(lines('name: m', 'topology:', '  nodes:', '    a: &common', '      kind: linux', '      image: alpine', '    b:', '      <<: *common', '      publish: [tcp/22]'), FILE);
    expect(r.nodes[1]).toMatchObject({ name: 'b', kind: 'linux', image: 'alpine' });
    expect(r.entries.map((e) => `${e.node} ${e.text}`)).toEqual(['b tcp/22']);
  });

  it('warns about a group or kind list no node uses', () => {
    const text = lines('name: w', 'topology:', '  kinds:', '    linux:', '      publish: [tcp/22]', '  groups:', '    lonely:', '      publish: [tcp/23]', '  nodes:', '    n1:', '      kind: linux', '      publish: [tcp/80]');
    const r = parseTopology(text, FILE);
    expect(r.diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      ['warning', 5, 'the publish list of kind linux is used by no node: every node of kind linux has a more specific publish list (lists replace, never merge)'],
      ['warning', 8, 'the publish list of group lonely is used by no node: no node is in group lonely'],
    ]);
    expect(r.entries.map((e) => e.text)).toEqual(['tcp/80']);
  });
});

describe('entry diagnostics', () => {
  const text = lines(
    'name: diag',
    'topology:',
    '  nodes:',
    '    r1:',
    '      kind: linux',
    '      publish:',
    '        - ftp/21',
    '        - tcp/70000',
    '        - tcp/22/a,,b',
    '        - "tcp/23/a,,b"',
    '        - tcp/24/x/y',
    '        - tcp/22',
    '        - tls/22',
    '        - {a: b}',
    '        - http/80',
    '    r2:',
    '      kind: linux',
    '      publish: tcp/22',
  );
  const r = parseTopology(text, FILE);
  const at = (t: string) => r.diagnostics.find((d) => d.text === t);

  it('locates each bad entry at the offending part, with a hint, and keeps the good ones', () => {
    expect(r.entries.map((e) => e.text)).toEqual(['tcp/22', 'http/80']);
    expect(at('ftp/21')).toMatchObject({ severity: 'error', file: FILE, line: 7, column: 11, node: 'r1', message: 'type ftp is not supported', textOffset: 0 });
    expect(at('tcp/70000')).toMatchObject({ line: 8, column: 15, message: 'port 70000 is not a number from 1 to 65535' });
    expect(at('tcp/22/a,,b')).toMatchObject({ line: 9, column: 20, message: 'empty item in the access list' });
    expect(at('tcp/23/a,,b')).toMatchObject({ line: 10, column: 21 });
    expect(at('tcp/24/x/y')).toMatchObject({ line: 11, column: 19, message: expect.stringContaining('too many parts') });
    for (const d of r.diagnostics) expect(d.hint.length).toBeGreaterThan(10);
  });

  it('flags the second entry for one port, naming the first one line', () => {
    expect(at('tls/22')).toMatchObject({ line: 13, column: 15, message: 'port 22 is published twice: line 12 publishes it already (tcp/22)' });
  });

  it('flags an entry that is not a string, and a publish that is not a list', () => {
    expect(r.diagnostics.find((d) => d.line === 14)).toMatchObject({ column: 11, message: 'publish entry is a map, not a string' });
    expect(at('tcp/22')).toMatchObject({ line: 18, column: 16, node: 'r2', message: 'publish of node r2 is not a list', hint: 'write it as a list: publish: [tcp/22]' });
  });

  it('points into the file as written when ${VAR} expansion changed the line', () => {
    const t = lines('name: e', 'topology:', '  nodes:', '    r1:', '      kind: linux', '      publish:', '        - tcp/${P}/a,,b');
    const d = parseTopology(t, FILE, { env: { P: '22' } }).diagnostics[0];
    expect(d).toMatchObject({ text: 'tcp/22/a,,b', line: 7, column: 22, textOffset: 9 });
  });

  it('rejects entries on helper nodes and on nodes without a container', () => {
    const t = lines('name: h', 'topology:', '  nodes:', '    ms:', '      kind: mysocketio', '      publish: [tcp/22]', '    br:', '      kind: bridge', '      publish: [tcp/23]');
    const res = parseTopology(t, FILE);
    expect(res.entries).toEqual([]);
    expect(res.diagnostics.map((d) => [d.line, d.node, d.message])).toEqual([
      [6, 'ms', 'node ms has kind mysocketio: it ran the mysocketio client, and its own ports are not published'],
      [9, 'br', 'node br has kind bridge, which runs no container: there is no port to publish'],
    ]);
  });
});

describe('udp entries (this app\'s extension)', () => {
  it('publishes udp/161 beside tcp/161 with an info note per entry as written, in either grammar', () => {
    for (const extra of [[], ['    b0:', '      kind: border0']]) {
      const t = lines('name: u', 'topology:', '  defaults:', '    publish: [udp/514]', '  nodes:', '    r1:', '      kind: linux', '      publish:', '        - tls/161', '        - udp/161', '    r2:', '      kind: linux', '    r3:', '      kind: linux', ...extra);
      const r = parseTopology(t, FILE);
      expect(r.entries.map((e) => `${e.node} ${e.text} ${e.socketName}`)).toEqual(['r1 tls/161 clab-r1-tls-161', 'r1 udp/161 clab-r1-udp-161', 'r2 udp/514 clab-r2-udp-514', 'r3 udp/514 clab-r3-udp-514']);
      // One note where the defaults entry is written, not one per node that inherits it.
      expect(r.diagnostics.map((d) => [d.severity, d.line, d.text, d.node])).toEqual([
        ['info', 4, 'udp/514', undefined],
        ['info', 10, 'udp/161', 'r1'],
      ]);
      expect(r.diagnostics[1].message).toBe("udp/161 is clab-publisher's extension: containerlab's publish never knew udp (its tunnels carried TCP only)");
    }
  });

  it('flags the same UDP port twice, and an access list on udp, where they are written', () => {
    const t = lines('name: u2', 'topology:', '  nodes:', '    r1:', '      kind: linux', '      publish:', '        - udp/162', '        - udp/162', '        - udp/69/alice@example.com');
    const r = parseTopology(t, FILE);
    expect(r.entries.map((e) => e.text)).toEqual(['udp/162']);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.line, d.column, d.message])).toEqual([
      [8, 15, 'UDP port 162 is published twice: line 7 publishes it already (udp/162)'],
      [9, 18, 'udp entries take no access list: no provider that carries UDP checks who sends'],
    ]);
  });
});

describe('helper nodes and grammar', () => {
  it('detects border0 from a border0 node, and reports its token file beside the topology', () => {
    const t = lines('name: b0', 'topology:', '  nodes:', '    srl:', '      kind: nokia_srlinux', '      publish:', '        - ssh/22', '        - https/443/admins,ops', '    b0:', '      kind: border0', '      binds:', '        - .border0_token:/root/.border0_token');
    const r = parseTopology(t, FILE);
    expect([r.grammar, r.grammarSource, r.grammarReason]).toEqual(['border0', 'detected', 'node b0 has kind border0']);
    expect(r.helpers).toEqual([{ node: 'b0', kind: 'border0', tokenFile: '/labs/demo/.border0_token', location: { file: FILE, line: 9, column: 5 } }]);
    expect(r.entries.map((e) => [e.entry.type, e.entry.port, e.entry.access, e.entry.accessKind])).toEqual([
      ['ssh', 22, [], 'none'],
      ['https', 443, ['admins', 'ops'], 'policies'],
    ]);
  });

  it('reads a mysocketio node: absolute token path and its proxy', () => {
    const t = lines('name: ms', 'topology:', '  nodes:', '    mysocketio:', '      kind: mysocketio', '      binds:', '        - /home/me/.mysocketio_token:/root/.mysocketio_token', '      extras:', '        mysocket-proxy: http://proxy.example:3128');
    const r = parseTopology(t, FILE);
    expect(r.grammarReason).toBe('node mysocketio has kind mysocketio');
    expect(r.helpers[0]).toMatchObject({ tokenFile: '/home/me/.mysocketio_token', proxy: 'http://proxy.example:3128' });
  });

  const one = (entry: string) => lines('name: g', 'topology:', '  nodes:', '    r1:', '      kind: linux', '      publish:', `        - ${entry}`);
  it('detects from the entries when there is no helper node', () => {
    expect(parseTopology(one('ssh/22'), FILE)).toMatchObject({ grammar: 'border0', grammarReason: expect.stringContaining('type ssh') });
    expect(parseTopology(one('tcp/22/alice@example.com'), FILE)).toMatchObject({ grammar: 'mysocketio', grammarReason: expect.stringContaining('email') });
    expect(parseTopology(one('tcp/22'), FILE)).toMatchObject({ grammar: 'mysocketio', grammarReason: expect.stringContaining('no border0 node') });
    // The email upgrades tcp to tls, as containerlab did.
    expect(parseTopology(one('tcp/22/alice@example.com'), FILE).entries[0].entry).toEqual({ type: 'tls', port: 22, access: ['alice@example.com'], accessKind: 'emails-domains' });
  });

  it('lets an override win and says what the file alone suggests', () => {
    const r = parseTopology(one('tcp/22'), FILE, { grammar: 'border0' });
    expect([r.grammar, r.grammarSource]).toEqual(['border0', 'override']);
    expect(r.grammarReason).toBe('override; the file alone suggests mysocketio: no border0 node, no ssh entry, no email in an access list: the original mysocketio grammar');
    expect(r.diagnostics[0]).toMatchObject({ message: 'type tcp is not supported', hint: expect.stringContaining('mysocketio grammar') });
  });
});

describe('files that cannot be used', () => {
  it('YAML errors carry the parser location and a hint', () => {
    const e = fileError(() => parseTopology(lines('name: y', 'topology:', '  nodes:', '\tr1: {}'), FILE));
    expect(e).toMatchObject({ kind: 'yaml', file: FILE, line: 4, column: 1, hint: expect.stringContaining('spaces') });
    expect(e.message).toMatch(/^not valid YAML: /);
  });

  it('missing name or nodes is a shape error', () => {
    expect(fileError(() => parseTopology(lines('topology:', '  nodes: {}'), FILE))).toMatchObject({ kind: 'shape', line: 1, column: 1, message: 'the topology has no name' });
    expect(fileError(() => parseTopology(lines('name: x', 'topology:', '  nodes: [a, b]'), FILE))).toMatchObject({ kind: 'shape', line: 3, column: 3, message: 'topology.nodes is not a map of nodes' });
    expect(fileError(() => parseTopology('- a\n', FILE))).toMatchObject({ kind: 'shape', line: 1 });
    expect(fileError(() => parseTopology('# nothing yet\n', FILE))).toMatchObject({ kind: 'shape', message: 'the file is empty' });
  });

  it('a template that is not YAML until rendered is a template error at its first block', () => {
    const t = lines('name: t', 'topology:', '  nodes:', '    n1:', '      kind: linux', '{{- if .more }}', '    n2:', '      kind: linux', '{{- end }}');
    const e = fileError(() => parseTopology(t, FILE));
    expect(e).toMatchObject({ kind: 'template', line: 6, column: 1, text: '{{- if .more }}' });
    expect(e.message).toContain('Go template');
    expect(e.hint).toContain('render');
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ kind: 'template', line: 6, column: 1, file: FILE });
  });

  it('a template inside quoted strings loads, with a warning', () => {
    const t = lines('name: t', 'topology:', '  nodes:', '    n1:', '      kind: linux', '      image: "alpine:{{ .tag }}"');
    const r = parseTopology(t, FILE);
    expect(r.nodes[0].image).toBe('alpine:{{ .tag }}');
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 6, column: 22, text: '{{ .tag }}' })]);
  });

  it('read errors say what and what to do', async () => {
    const missing = path.join(os.tmpdir(), 'clab-publisher-no-such-file.clab.yml');
    await expect(loadTopology(missing)).rejects.toMatchObject({ kind: 'read', file: missing, message: 'cannot read the topology file: no such file', line: undefined });
    await expect(loadTopology(os.tmpdir())).rejects.toMatchObject({ kind: 'read', hint: expect.stringContaining('clab.yml') });
  });
});

describe('loadTopology', () => {
  it('hashes the bytes read and expands the process environment by default', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-topo-'));
    const file = path.join(dir, 'x.clab.yml');
    const text = lines('name: ${CLAB_PUBLISHER_TEST_LAB:=fallback}', 'topology:', '  nodes:', '    n1:', '      kind: linux');
    fs.writeFileSync(file, text);
    try {
      const r = await loadTopology(file);
      expect(r.labName).toBe('fallback');
      expect(r.hash).toBe(createHash('sha256').update(text).digest('hex'));
      expect(parseTopology(text, file).hash).toBe(r.hash);
      process.env.CLAB_PUBLISHER_TEST_LAB = 'fromenv';
      expect((await loadTopology(file)).labName).toBe('fromenv');
      expect((await loadTopology(file, { env: {} })).labName).toBe('fallback');
    } finally {
      delete process.env.CLAB_PUBLISHER_TEST_LAB;
      fs.rmSync(dir, { recursive: true });
    }
  });
});
