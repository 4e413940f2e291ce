import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShareCore, type ShareCore } from '../core/shares/share-test-helpers';
import type { CheckOutput } from './check-command';
import { parseArgs, UsageError } from './cli-args';
import { runShareCard } from './share-card-command';

function run(lab: string, dir: string, extra: { share?: string; json?: boolean } = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: CheckOutput = { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) };
  const code = runShareCard({ lab, json: extra.json ?? false, share: extra.share }, dir, out);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('clab-publisher share-card <lab>', () => {
  let core: ShareCore;
  let endpoint: { host: string; port: number };

  beforeAll(async () => {
    core = await startShareCore();
    const id = core.publications.add({ host: 'local', lab: 'lab1', node: 'r1', port: core.echo.port, type: 'ssh', provider: 'local', access: [] }).id;
    endpoint = (await core.tunnel(id, 'online', (t) => t.state === 'online' && !!t.endpoint)).endpoint!;
    const s = core.shares.create({ host: 'local', lab: 'lab1', title: 'Class 1', until: '4h', allow: [], includeCredentials: true });
    core.shares.setCredentials({ id: s.id, node: 'r1', user: 'student', password: 'pw-from-secrets' });
    // The address is saved as the tunnel comes online; the CLI reads it with nothing running.
    await core.stop();
  });
  afterAll(async () => core.dispose());

  it('prints the card as Markdown from the data folder, with the last addresses and the ssh_config', () => {
    const r = run('lab1', core.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Class 1\n/);
    expect(r.stdout).toContain(`ssh -p ${endpoint.port} student@127.0.0.1`);
    expect(r.stdout).toContain(`Host lab1-r1\n  HostName 127.0.0.1\n  Port ${endpoint.port}\n  User student`);
    // The owner ticked "include credentials": the password set in the app comes from the secret store.
    expect(r.stdout).toContain('pw-from-secrets');
  });

  it('prints JSON with --json', () => {
    const card = JSON.parse(run('lab1', core.dir, { json: true }).stdout);
    expect(card).toMatchObject({ title: 'Class 1', lab: 'lab1', ports: [{ node: 'r1', service: 'SSH', status: 'unknown' }] });
  });

  it('says what to do when there is nothing to print, and exits 2', () => {
    const none = run('lab9', core.dir);
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toMatch(/lab lab9 has no share \(shared labs: lab1\)/);
    expect(run('lab1', core.dir, { share: 'nope' }).stderr).toMatch(/no share "nope" of this lab; its shares: "Class 1"/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'share-card-empty-'));
    expect(run('lab1', empty)).toMatchObject({ code: 2 });
    expect(fs.readdirSync(empty)).toEqual([]); // reading created nothing
    fs.rmSync(empty, { recursive: true });
  });

  it('parses its arguments', () => {
    expect(parseArgs(['share-card', 'srl01', '--share', 'Class 1', '--json', '--data-dir', '/d'])).toEqual({ command: 'share-card', lab: 'srl01', share: 'Class 1', json: true, dataDir: '/d' });
    expect(() => parseArgs(['share-card'])).toThrow(UsageError);
    expect(() => parseArgs(['share-card', 'a', 'b'])).toThrow(/one lab name/);
  });
});
