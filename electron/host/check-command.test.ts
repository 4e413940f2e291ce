import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckOutput } from './check-command';
import { parseArgs, UsageError } from './cli-args';

const CORPUS = path.resolve(__dirname, '../../../shared/fixtures/containerlab-topologies');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-check-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, ...lines: string[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function check(file: string, opts: { json?: boolean; provider?: 'local' | 'ssh' | 'border0'; grammar?: 'mysocketio' | 'border0' } = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: CheckOutput = { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) };
  const code = await runCheck({ file, json: opts.json ?? false, provider: opts.provider ?? 'local', grammar: opts.grammar }, out, {});
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const LAB = write(
  'lab.clab.yml',
  'name: demo',
  'topology:',
  '  defaults:',
  '    publish:',
  '      - tcp/22',
  '  nodes:',
  '    srl:',
  '      kind: nokia_srlinux',
  '      publish:',
  '        - tcp/57400',
  '        - https/443/alice@example.com',
  '        - ftp/21',
  '    h1:',
  '      kind: linux',
  '    mysocketio:',
  '      kind: mysocketio',
  '      binds:',
  '        - .mysocketio_token:/root/.mysocketio_token',
);

describe('clab-publisher check', () => {
  it('prints the resolved table, grammar, helper and located errors; exit 1 on entry errors', async () => {
    const r = await check(LAB);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('lab demo');
    expect(r.stdout).toContain('grammar mysocketio (detected: node mysocketio has kind mysocketio)');
    expect(r.stdout).toMatch(/^NODE +CONTAINER +TYPE +PORT +ACCESS +SOCKET NAME +SOURCE$/m);
    expect(r.stdout).toMatch(new RegExp(`^srl +clab-demo-srl +tcp +57400 +anyone +clab-srl-tcp-57400 +${LAB}:10$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^h1 +clab-demo-h1 +tcp +22 +anyone +clab-h1-tcp-22 +${LAB}:5 \\(defaults\\)$`, 'm'));
    expect(r.stdout).toContain(`helper node mysocketio (kind mysocketio, ${LAB}:15): not needed with clab-publisher; its token file ${path.join(tmp, '.mysocketio_token')} can be imported in Accounts`);
    expect(r.stderr).toContain(`${LAB}:12:11: error: type ftp is not supported\n    ftp/21\n    ^\nhint: use one of tcp, tls, http, https`);
  });

  it('refuses an access list with a provider that cannot enforce it, and accepts it with border0', async () => {
    for (const provider of ['local', 'ssh'] as const) {
      const r = await check(LAB, { provider });
      expect(r.stderr).toContain(`${LAB}:11:21: error: https/443/alice@example.com has an access list, and the ${provider} provider cannot enforce one`);
      expect(r.stderr).toContain('hint: use a provider with access control (--provider border0), or remove the access list: https/443');
    }
    const b0 = await check(LAB, { provider: 'border0' });
    expect(b0.stderr).not.toContain('has an access list');
    expect(b0.stdout).toContain('3 of 3 entries can be published; 1 error, 0 warnings');
  });

  it('exits 0 when only warnings remain, and 0 for a corpus file without publish entries', async () => {
    const warn = write('warn.clab.yml', 'name: w', 'topology:', '  groups:', '    nobody:', '      publish: [tcp/22]', '  nodes:', '    n1:', '      kind: linux');
    const r = await check(warn);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${warn}:5:7: warning: the publish list of group nobody is used by no node`);
    const srl = await check(path.join(CORPUS, 'lab-examples_srl-quickstart_srl01.clab.yml'));
    expect(srl.code).toBe(0);
    expect(srl.stdout).toContain('lab srl (');
    expect(srl.stdout).toContain('no publish entries');
    expect(srl.stderr).toBe('');
  });

  it('exits 2 with a located error for an unrendered template, a YAML error and a missing file', async () => {
    const tpl = path.join(CORPUS, 'tests_13-srsim_11-srsim-apply.clab.yml');
    const t = await check(tpl);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(new RegExp(`^${tpl}:48:1: error: the file is a Go template`));
    expect(t.stderr).toContain('    {{- if .addNode }}');
    const bad = write('bad.clab.yml', 'name: b', 'topology:', '  nodes:', '    n1: [oops');
    const y = await check(bad);
    expect(y.code).toBe(2);
    expect(y.stderr).toMatch(new RegExp(`^${bad}:\\d+:\\d+: error: not valid YAML: `));
    expect(y.stderr).toMatch(/\nhint: /);
    const missing = await check(path.join(tmp, 'nope.clab.yml'), { json: true });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toEqual({ error: expect.objectContaining({ kind: 'read', message: 'cannot read the topology file: no such file' }) });
  });

  it('--json prints the report with provider errors', async () => {
    const r = await check(LAB, { json: true });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ labName: 'demo', grammar: 'mysocketio', provider: 'local' });
    expect(doc.entries.map((e: { socketName: string }) => e.socketName)).toEqual(['clab-srl-tcp-57400', 'clab-srl-https-443', 'clab-h1-tcp-22']);
    expect(doc.providerErrors).toHaveLength(1);
    expect(doc.diagnostics).toEqual([expect.objectContaining({ line: 12, column: 11, message: 'type ftp is not supported' })]);
    expect(doc.helpers).toEqual([expect.objectContaining({ node: 'mysocketio', kind: 'mysocketio' })]);
  });

  it('--provider border0 shows the socket names border0 will create (lab and node, sanitised)', async () => {
    const r = await check(LAB, { json: true, provider: 'border0' });
    const doc = JSON.parse(r.stdout);
    expect(doc.entries.map((e: { socketName: string }) => e.socketName)).toEqual(['clab-demo-srl-tcp-57400', 'clab-demo-srl-https-443', 'clab-demo-h1-tcp-22']);
    const text = await check(LAB, { provider: 'border0' });
    expect(text.stdout).toContain('clab-demo-srl-tcp-57400');
    expect(text.stdout).not.toMatch(/clab-srl-tcp-57400/);
  });

  it('notes udp entries as this app\'s extension (exit 0), and refuses them with border0 at the entry', async () => {
    const file = write('udp.clab.yml', 'name: u', 'topology:', '  nodes:', '    r1:', '      kind: linux', '      publish:', '        - udp/161', '        - tcp/22');
    const local = await check(file);
    expect(local.code).toBe(0);
    expect(local.stderr).toContain(`${file}:7:11: info: udp/161 is clab-publisher's extension`);
    expect(local.stdout).toContain('2 of 2 entries can be published; 0 errors, 0 warnings, 1 note');
    const b0 = await check(file, { provider: 'border0' });
    expect(b0.code).toBe(1);
    expect(b0.stderr).toContain(`${file}:7:11: error: udp/161: the border0 provider cannot publish type udp (border0 sockets carry TCP only`);
    expect(b0.stdout).toContain('1 of 2 entries can be published; 1 error, 0 warnings, 1 note');
  });

  it('--grammar overrides detection', async () => {
    const file = write('b0.clab.yml', 'name: b', 'topology:', '  nodes:', '    n1:', '      kind: linux', '      publish: [ssh/22]');
    expect((await check(file)).code).toBe(0);
    const r = await check(file, { grammar: 'mysocketio' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('grammar mysocketio (override; the file alone suggests border0: entry "ssh/22" (line 6)');
    expect(r.stderr).toContain(`${file}:6:17: error: type ssh is not supported`);
  });
});

describe('check arguments', () => {
  it('parses the file and options in any order, with local as the default provider', () => {
    expect(parseArgs(['check', 'lab.clab.yml'])).toEqual({ command: 'check', file: 'lab.clab.yml', json: false, provider: 'local' });
    expect(parseArgs(['check', '--json', '--provider', 'border0', 'x.yml', '--grammar', 'border0'])).toEqual({ command: 'check', file: 'x.yml', json: true, provider: 'border0', grammar: 'border0' });
  });
  it('refuses what it cannot use', () => {
    expect(() => parseArgs(['check'])).toThrow(UsageError);
    expect(() => parseArgs(['check', 'a', 'b'])).toThrow(/one topology file/);
    expect(() => parseArgs(['check', 'a', '--provider', 'ngrok'])).toThrow(/local, ssh, border0/);
    expect(() => parseArgs(['check', 'a', '--grammar', 'x'])).toThrow(/mysocketio or border0/);
    expect(() => parseArgs(['check', 'a', '--provider'])).toThrow(/needs a value/);
    expect(() => parseArgs(['check', 'a', '--verbose'])).toThrow(/unknown option/);
  });
});
