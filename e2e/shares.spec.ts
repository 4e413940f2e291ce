import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEBIAN_IMAGE, debianSshNode, hostKeyOf, makeClientKey, type SshClientKey } from '../test-support/debian-node';
import type { TestHost } from '../test-support/host-process';
import { startLab, type TestLab } from '../test-support/lab-containers';
import { accepts } from '../test-support/net-client';
import { RpcClient } from '../test-support/rpc-client';
import { closeApp, endpointOf, openApp, publishPort } from '../test-support/ui-steps';

// Sharing a lab end to end, every part real: lab nodes running Debian's sshd in the real
// dockerd, the headless host as a process, the UI in Chromium, OpenSSH's own client using the
// ssh_config downloaded from the share card.
const LAB = `shr${process.pid}`;

interface SshRun {
  code: number | null;
  out: string;
  err: string;
}

test.describe.serial('share a lab: card, OpenSSH through the share, allow-list, expiry, revoke, audit', () => {
  let lab: TestLab;
  let key: SshClientKey;
  let host: TestHost;
  let page: Page;
  let dir: string;
  let sshConfig: string;
  let knownHosts: string;
  const running: ChildProcess[] = [];

  /** `ssh -F <the card's ssh_config> <lab>-<node> <command>`, host key checked against the node's real key. */
  const sshArgs = (node: string, command: string, bind?: string) => [
    '-F', sshConfig,
    '-i', key.keyPath,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'ConnectTimeout=10',
    ...(bind ? ['-b', bind] : []),
    `${LAB}-${node}`,
    command,
  ];
  const ssh = (node: string, command: string, bind?: string) =>
    new Promise<SshRun>((resolve) => {
      const p = spawn('ssh', sshArgs(node, command, bind), { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (err += d));
      p.on('close', (code) => resolve({ code, out, err }));
    });
  /** A long session (`sleep`) kept open; once it runs, `ended` resolves with its exit time (wrapped: an async function would wait for it). */
  const openSession = async (node: string) => {
    const p = spawn('ssh', sshArgs(node, 'echo ready; exec sleep 600'), { stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(p);
    const ended = new Promise<number>((resolve) => p.on('close', () => resolve(Date.now())));
    await new Promise<void>((resolve, reject) => {
      p.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      p.on('close', (code) => reject(new Error(`ssh session ended before it was ready (exit ${code})`)));
    });
    return { ended };
  };
  const tunnelRow = (node: string) => page.getByTestId(`tunnel-${node}-22`);
  const shareView = () => page.getByTestId('share-view');
  const api = () => RpcClient.open(host);
  const theShare = async () => {
    const c = await api();
    try {
      return (await c.call('shares.list', {})).find((s) => s.lab === LAB)!;
    } finally {
      c.close();
    }
  };

  test.beforeAll(async ({ browser }) => {
    key = makeClientKey();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-e2e-share-'));
    lab = await startLab({ lab: LAB, image: DEBIAN_IMAGE, nodes: [debianSshNode('r1', key.publicKey), debianSshNode('r2', key.publicKey)] });
    await lab.waitForPorts('r1', [22]);
    await lab.waitForPorts('r2', [22]);
    // The nodes' own host keys, made when they started: what the audience's ssh must find.
    knownHosts = path.join(dir, 'known_hosts');
    const lines = await Promise.all(lab.containers.map(async (c) => `${LAB}-${c.node} ${await hostKeyOf(c.id)}`));
    fs.writeFileSync(knownHosts, `${lines.join('\n')}\n`);
    ({ host, page } = await openApp(browser));
  });

  test.afterAll(async () => {
    for (const p of running) p.kill('SIGKILL');
    await closeApp({ host, page });
    await lab?.remove();
    key?.remove();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('shares a lab from the UI; the card has the address and a ready ssh command per node', async () => {
    await page.getByTestId(`lab-${LAB}`).click();
    for (const node of ['r1', 'r2']) {
      await publishPort(page, node, 22);
      await expect(tunnelRow(node).getByTestId('tunnel-state')).toHaveText('online');
    }
    await page.getByTestId('share-lab').click();
    const dialog = page.getByTestId('share-dialog');
    await dialog.getByTestId('share-title').fill('Routing class');
    await expect(dialog.getByTestId('share-port-r1-22')).toBeChecked();
    await expect(dialog.getByTestId('share-expiry')).toHaveValue('4h');
    await dialog.getByTestId('share-submit').click();
    await expect(shareView().getByTestId('share-state')).toHaveText('open');
    await expect(shareView().getByTestId('share-until')).toHaveText(/expires in (3 h 59 min|4 h)/);
    const ep = await endpointOf(tunnelRow('r1'));
    const row = shareView().getByTestId('card-port-r1-22');
    await expect(row.getByTestId('card-address')).toHaveText(`127.0.0.1:${ep.port}`);
    // A linux node has no default user in containerlab: root.
    await expect(row.getByTestId('card-command')).toHaveText(`ssh -p ${ep.port} root@127.0.0.1`);
    await expect(row.getByTestId('card-exposure')).toHaveText('this computer only');
    await expect(shareView().getByTestId('card-qr').first()).toHaveAttribute('data-text', `ssh://root@127.0.0.1:${ep.port}`);
    // The Published ports table counts down too.
    await expect(tunnelRow('r1').getByTestId('tunnel-share-until')).toHaveText(/expires in/);
  });

  test('the downloaded ssh_config runs a command on the node with the real OpenSSH client', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), shareView().getByTestId('card-download-ssh-config').click()]);
    expect(download.suggestedFilename()).toBe(`${LAB}.ssh_config`);
    sshConfig = path.join(dir, download.suggestedFilename());
    await download.saveAs(sshConfig);
    expect(fs.readFileSync(sshConfig, 'utf8')).toContain(`Host ${LAB}-r1\n`);
    const r = await ssh('r1', 'hostname; echo through-the-share');
    expect(r.err).not.toMatch(/Permanently added|WARNING/);
    expect(r).toMatchObject({ code: 0, out: 'r1\nthrough-the-share\n' });
    expect((await ssh('r2', 'hostname')).out).toBe('r2\n');
  });

  test('an allow-list admits 127.0.0.2 and refuses 127.0.0.1; the audit shows both sources', async () => {
    await shareView().getByTestId('share-rules-allow').fill('127.0.0.2');
    await shareView().getByTestId('share-rules-save').click();
    await expect(shareView().getByTestId('card-port-r1-22').getByTestId('card-exposure')).toHaveText(/only from allowed addresses/);
    const refused = await ssh('r1', 'hostname', '127.0.0.1');
    expect(refused.code).toBe(255);
    expect(refused.out).toBe('');
    const admitted = await ssh('r1', 'hostname', '127.0.0.2');
    expect(admitted).toMatchObject({ code: 0, out: 'r1\n' });
    const audit = shareView().getByTestId('share-audit');
    await expect(audit.getByTestId('audit-source-127.0.0.1').locator('td').nth(4)).toHaveText('1'); // refused
    await expect(audit.getByTestId('audit-source-127.0.0.2').locator('td').nth(3)).not.toHaveText('0'); // connections
    // The refusal is in the log with its source.
    const c = await api();
    const logged = await c.call('logs.query', { text: 'not on the allow-list', limit: 50 });
    c.close();
    expect(logged.some((e) => /connection from 127\.0\.0\.1:\d+ refused/.test(e.message))).toBe(true);
    // Exports carry the same records.
    const [csv] = await Promise.all([page.waitForEvent('download'), audit.getByTestId('audit-export-csv').click()]);
    const text = fs.readFileSync(await csv.path(), 'utf8');
    expect(text.split('\r\n')[0]).toBe('start,end,node,port,source,sourcePort,refused,bytesIn,bytesOut,reason,attendee,kind');
    expect(text).toMatch(/,r1,22,127\.0\.0\.1,\d+,true,/);
    // Back to everyone on this computer for what follows.
    await shareView().getByTestId('share-rules-allow').fill('');
    await shareView().getByTestId('share-rules-save').click();
    await expect(shareView().getByTestId('card-port-r1-22').getByTestId('card-exposure')).toHaveText('this computer only');
  });

  test('at expiry every port closes and an open session is cut within a second; extend reopens in one click', async () => {
    const ep = await endpointOf(tunnelRow('r1'));
    const session = await openSession('r1');
    // A precise end a few seconds ahead, through the API (the UI's custom time has minutes).
    const c = await api();
    const { expiresAt } = await c.call('shares.extend', { id: (await theShare()).id, until: Date.now() + 4000 });
    c.close();
    const endedAt = await session.ended;
    expect(endedAt - expiresAt!).toBeLessThan(1000);
    await expect(shareView().getByTestId('share-state')).toHaveText('expired');
    await expect(shareView().getByTestId('share-until')).toHaveText(/^expired \d{4}-\d\d-\d\d \d\d:\d\d/);
    await expect(tunnelRow('r1').getByTestId('tunnel-state')).toHaveText('stopped');
    await expect(tunnelRow('r1').getByTestId('tunnel-reason')).toContainText('expired');
    expect(await accepts('127.0.0.1', ep.port)).toBe(false);
    await shareView().getByTestId('share-extend-1h').click();
    await expect(shareView().getByTestId('share-state')).toHaveText('open');
    await expect(tunnelRow('r1').getByTestId('tunnel-state')).toHaveText('online');
    // The port it had before is asked for again: the card people hold keeps working.
    expect(await endpointOf(tunnelRow('r1'))).toEqual(ep);
    expect((await ssh('r1', 'hostname')).out).toBe('r1\n');
  });

  test('stop sharing closes every port and cuts the open session within a second', async () => {
    const ep = await endpointOf(tunnelRow('r2'));
    const session = await openSession('r2');
    const revoke = shareView().getByTestId('share-revoke');
    await revoke.click();
    const clicked = Date.now();
    await revoke.click(); // the inline confirmation
    const endedAt = await session.ended;
    expect(endedAt - clicked).toBeLessThan(1500); // includes the click's round trip to the host
    await expect(shareView().getByTestId('share-state')).toHaveText('revoked');
    await expect(tunnelRow('r2').getByTestId('tunnel-reason')).toContainText('was stopped');
    expect(await accepts('127.0.0.1', ep.port)).toBe(false);
  });

  test('a share that expires while the host is down stays closed after a real restart', async () => {
    const c = await api();
    const share = await theShare();
    const { expiresAt } = await c.call('shares.extend', { id: share.id, until: Date.now() + 3000 });
    c.close();
    await expect(tunnelRow('r1').getByTestId('tunnel-state')).toHaveText('online');
    const ep = await endpointOf(tunnelRow('r1'));
    await host.stop();
    // The expiry passes while nothing runs: wall-clock time is what is being tested here.
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt! - Date.now() + 300)));
    host = await host.restart();
    await page.goto(host.url);
    await page.getByTestId(`share-row-Routing class`).click();
    await expect(shareView().getByTestId('share-state')).toHaveText('expired');
    await expect(tunnelRow('r1').getByTestId('tunnel-state')).toHaveText('stopped');
    await expect(tunnelRow('r1').getByTestId('tunnel-reason')).toContainText('expired');
    expect(await accepts('127.0.0.1', ep.port)).toBe(false);
    const c2 = await api();
    const tunnels = await c2.call('tunnels.list', {});
    const logs = await c2.call('logs.query', { text: 'while the app was not running', limit: 10 });
    c2.close();
    // Never opened, not even for a moment: no endpoint since the start.
    expect(tunnels.filter((t) => t.lab === LAB).every((t) => t.state === 'stopped' && !t.endpoint)).toBe(true);
    expect(logs).toHaveLength(1);
  });
});
