import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startHost, type TestHost } from '../test-support/host-process';
import { startLab, type TestLab } from '../test-support/lab-containers';
import { giveToLabHostUser, LAB_HOST_USER, sftpLogSince, startLabHostSshd, stopLabHostSshd, type LabHostSshd } from '../test-support/lab-host-sshd';
import { accepts, echoThrough } from '../test-support/net-client';
import { RpcClient } from '../test-support/rpc-client';
import { startSshd, type TestSshd } from '../test-support/sshd';
import { closeApp, configureSshRelay, endpointOf, openApp, publishPort } from '../test-support/ui-steps';

// A lab on another machine, driven only through the UI: the "other machine" is this one
// behind a loopback sshd as a user of the docker group, so its Docker API and node ports are
// reached over SSH (the same daemon also shows as this computer; the test stays inside the
// remote host's group). A second sshd is the relay for the ssh provider.
const LAB = `e2eh${process.pid}`;

test.describe.serial('a lab host over SSH, added, used and removed in the UI', () => {
  let lab: TestLab;
  let labHost: LabHostSshd;
  let relay: TestSshd;
  let host: TestHost;
  let page: Page;
  /** How hostIdFor() names 127.0.0.1 on a port other than 22. */
  let hostId: string;

  test.beforeAll(async ({ browser }) => {
    [lab, labHost, relay] = await Promise.all([startLab({ lab: LAB, nodes: [{ name: 'n1' }, { name: 'n2' }] }), startLabHostSshd({ logLevel: 'DEBUG1' }), startSshd()]);
    hostId = `127.0.0.1-${labHost.port}`;
    await lab.waitForPorts('n1', [7]);
    await lab.waitForPorts('n2', [8080]);
    ({ host, page } = await openApp(browser));
  });

  test.afterAll(async () => {
    await closeApp({ host, page });
    await Promise.all([lab?.remove(), stopLabHostSshd(labHost), relay?.stop()]);
  });

  const group = () => page.getByTestId(`host-group-${hostId}`);
  const tunnelRow = (node: string, port: number) => page.getByTestId(`tunnel-${node}-${port}`);
  const echoes = async (row: Locator, size = 128 * 1024) => {
    const ep = await endpointOf(row);
    const payload = randomBytes(size);
    return (await echoThrough(ep.host, ep.port, payload)).equals(payload);
  };

  test('a bad address is refused in the form with a hint, and nothing is added', async () => {
    await page.getByTestId('hosts-add').click();
    await page.getByTestId('host-url').fill('lab1.example.net');
    await page.getByTestId('host-submit').click();
    await expect(page.getByTestId('host-add-error')).toContainText('Expected ssh://user@host');
    await expect(page.getByTestId('host-add-error')).toContainText('For example ssh://');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('host-add-dialog')).toHaveCount(0);
    await expect(page.locator('[data-testid^="host-group-"]')).toHaveCount(1); // this computer only
  });

  test('adding ssh://user@host asks to trust its host key; once trusted, its labs show in its own group', async () => {
    await page.getByTestId('hosts-add').click();
    await page.getByTestId('host-url').fill(labHost.url);
    await page.getByTestId('host-keyfile').fill(labHost.clientKeyPath);
    await page.getByTestId('host-label').fill('lab-vm');
    await page.getByTestId('host-submit').click();
    await expect(page.getByTestId('host-add-dialog')).toHaveCount(0);
    // Not connected before the key is confirmed: the fingerprint is shown to compare.
    await expect(group()).toHaveAttribute('data-state', 'unreachable');
    await expect(group()).not.toContainText(LAB);
    await expect(page.getByTestId('host-hostkey-fingerprint')).toHaveText(labHost.hostKeyFingerprint);
    await page.getByTestId('host-hostkey-trust').click();
    await expect(group()).toHaveAttribute('data-state', 'connected');
    await expect(group().getByTestId('host-latency')).toHaveText(/^(<1|\d+) ms$|^\d+\.\d s$/);
    await group().getByTestId(`lab-${LAB}`).click();
    await expect(page.getByTestId('node-n1')).toContainText(await lab.ip('n1'));
    await expect(page.getByTestId('port-n1-7')).toBeVisible(); // port discovery over SSH
    await expect(page.getByTestId('port-n2-8080')).toBeVisible();
  });

  test('publishes a node of the remote lab on this computer; bytes round-trip through the SSH connection', async () => {
    await publishPort(page, 'n1', 7, 'local');
    await expect(tunnelRow('n1', 7).getByTestId('tunnel-state')).toHaveText('online');
    await expect(tunnelRow('n1', 7).getByTestId('tunnel-host')).toHaveText('lab-vm');
    expect(await echoes(tunnelRow('n1', 7), 512 * 1024)).toBe(true);
    // The lab host made the connection to the node (SSH direct-tcpip), not this computer.
    expect(fs.readFileSync(labHost.logFile, 'utf8')).toContain(`target ${await lab.ip('n1')} port 7`);
  });

  test('with tunnels on two hosts, published ports are grouped under each host', async () => {
    await page.getByTestId('host-group-local').getByTestId(`lab-${LAB}`).click();
    await page.getByTestId('port-n2-7').click();
    await page.getByTestId('publish-submit').click();
    await expect(tunnelRow('n2', 7).getByTestId('tunnel-state')).toHaveText('online');
    await expect(tunnelRow('n2', 7).getByTestId('tunnel-host')).toHaveCount(0); // this computer
    const order = page.getByTestId('tunnels-table').locator('tbody > tr');
    await expect.poll(() => order.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))).toEqual(['tunnel-group-local', 'tunnel-n2-7', `tunnel-group-${hostId}`, 'tunnel-n1-7']);
    await expect(page.getByTestId(`tunnel-group-${hostId}`)).toContainText('lab-vm');
    await expect(page.getByTestId(`tunnel-group-${hostId}`)).toContainText('1/1 online');
    await expect(page.getByTestId('tunnel-group-local')).toContainText('This computer');
    await group().getByTestId(`lab-${LAB}`).click();
  });

  test('publishes another node of it through the SSH relay', async () => {
    await configureSshRelay(page, relay);

    await publishPort(page, 'n2', 8080, 'ssh');
    const prompt = page.getByTestId('hostkey-prompt').first();
    await expect(prompt.getByTestId('hostkey-fingerprint')).toHaveText(relay.hostKeyFingerprint);
    await prompt.getByTestId('hostkey-trust').click();
    await expect(tunnelRow('n2', 8080).getByTestId('tunnel-state')).toHaveText('online');
    expect((await endpointOf(tunnelRow('n2', 8080))).host).toBe(relay.host);
    expect(await echoes(tunnelRow('n2', 8080), 512 * 1024)).toBe(true);
  });

  test('its sshd stopped: the host shows down with the error, this computer carries on; back, its tunnels recover', async () => {
    const local = page.getByTestId('host-group-local');
    await labHost.stop();
    await expect(group()).toHaveAttribute('data-state', 'unreachable');
    const banner = page.locator(`[data-testid="host-banner"][data-host="${hostId}"]`);
    await expect(banner).toContainText('Lab host lab-vm');
    await expect(banner).toContainText('is unreachable');
    await expect(banner.getByTestId('host-retry')).toBeVisible();
    await expect(tunnelRow('n1', 7).getByTestId('tunnel-state')).toHaveText('waiting-for-node');
    await expect(tunnelRow('n1', 7).getByTestId('tunnel-reason')).toContainText('lab host lab-vm is unreachable');
    await expect(local).toHaveAttribute('data-state', 'connected');
    await expect(local.getByTestId(`lab-${LAB}`)).toBeVisible();
    await expect(page.getByTestId(`tunnel-group-${hostId}`)).toContainText('unreachable');
    await expect(tunnelRow('n2', 7).getByTestId('tunnel-state')).toHaveText('online');
    expect(await echoes(tunnelRow('n2', 7))).toBe(true);

    // Someone who knows the host is down can put the banner away; the state stays in view.
    await banner.getByTestId('host-banner-hide').click();
    await expect(banner).toHaveCount(0);
    await expect(group()).toHaveAttribute('data-state', 'unreachable');
    await expect(page.getByTestId(`tunnel-group-${hostId}`)).toContainText('unreachable');

    await labHost.start();
    await expect(group()).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    await expect(banner).toHaveCount(0);
    await expect(tunnelRow('n1', 7).getByTestId('tunnel-state')).toHaveText('online');
    await expect(tunnelRow('n2', 8080).getByTestId('tunnel-state')).toHaveText('online');
    expect(await echoes(tunnelRow('n1', 7))).toBe(true);
    expect(await echoes(tunnelRow('n2', 8080))).toBe(true);
  });

  test('publications of the host survive a restart of the app', async () => {
    host = await host.restart();
    await page.goto(host.url);
    await expect(group()).toHaveAttribute('data-state', 'connected');
    await expect(tunnelRow('n1', 7).getByTestId('tunnel-state')).toHaveText('online');
    await expect(tunnelRow('n2', 8080).getByTestId('tunnel-state')).toHaveText('online');
    expect(await echoes(tunnelRow('n2', 8080))).toBe(true);
  });

  test('removing the host closes its tunnels and says why; the publications wait for it', async () => {
    const ep = await endpointOf(tunnelRow('n1', 7));
    const remove = page.getByTestId(`host-remove-${hostId}`);
    await remove.click();
    await remove.click(); // the inline confirmation
    await expect(group()).toHaveCount(0);
    await expect(tunnelRow('n1', 7).getByTestId('tunnel-state')).toHaveText('stopped');
    await expect(tunnelRow('n1', 7).getByTestId('tunnel-reason')).toHaveText('lab host lab-vm was removed; add it again under Hosts to bring this tunnel back');
    await expect(tunnelRow('n2', 8080).getByTestId('tunnel-state')).toHaveText('stopped');
    await expect(tunnelRow('n1', 7).getByTestId('tunnel-address')).toHaveCount(0);
    await expect(page.getByTestId(`tunnel-group-${hostId}`)).toContainText('not in Hosts');
    await expect.poll(() => accepts(ep.host, ep.port)).toBe(false);
    await expect(tunnelRow('n2', 7).getByTestId('tunnel-state')).toHaveText('online');
  });
});

// Topology files on a lab host are read and written over the host's SSH connection (SFTP):
// the file is in a folder only the host's user may write, and the SFTP server's own log
// shows the save arriving through it.
const TOPO_LAB = `e2et${process.pid}`;

test.describe.serial('the topology file of a lab on a lab host, over SFTP', () => {
  let dir: string;
  let file: string;
  let lab: TestLab;
  let labHost: LabHostSshd;
  let host: TestHost;
  let page: Page;
  let hostId: string;

  test.beforeAll(async ({ browser }) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-remote-topo-'));
    file = path.join(dir, `${TOPO_LAB}.clab.yml`);
    fs.writeFileSync(file, `# on the lab server\nname: ${TOPO_LAB}\ntopology:\n  nodes:\n    n1:\n      kind: linux\n`);
    await giveToLabHostUser(dir);
    [lab, labHost] = await Promise.all([startLab({ lab: TOPO_LAB, topoFile: file, owner: LAB_HOST_USER, nodes: [{ name: 'n1' }] }), startLabHostSshd()]);
    hostId = `127.0.0.1-${labHost.port}`;
    await lab.waitForPorts('n1', [7]);
    host = await startHost();
    // Adding a host through the UI is the spec above; here it is set up through the API.
    const api = await RpcClient.open(host);
    try {
      await api.call('hosts.add', { url: labHost.url, keyFile: labHost.clientKeyPath, label: 'lab-vm' });
      await api.call('hosts.trustHostKey', { id: hostId, fingerprint: labHost.hostKeyFingerprint });
    } finally {
      api.close();
    }
    page = await browser.newPage();
    await page.goto(host.url);
  });

  test.afterAll(async () => {
    await page?.close();
    await host?.stop();
    await Promise.all([lab?.remove(), stopLabHostSshd(labHost)]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('shows the remote lab\'s topology file, then saves a port published by clicking into it', async () => {
    const remoteRow = page.locator('[data-testid="tunnel-n1-7"]').filter({ has: page.getByTestId('tunnel-host') });
    await page.getByTestId(`host-group-${hostId}`).getByTestId(`lab-${TOPO_LAB}`).click();
    await expect(page.getByTestId('topology-file')).toHaveText(file);
    await expect(page.getByTestId('topology-entries')).toHaveText('0 entries');
    await publishPort(page, 'n1', 7, 'local');
    await expect(remoteRow.getByTestId('tunnel-state')).toHaveText('online');
    const logFrom = fs.statSync(labHost.sftpLog).size;
    await remoteRow.getByTestId('tunnel-save').click();
    await expect(remoteRow.getByTestId('tunnel-origin')).toHaveText(new RegExp(`^${path.basename(file)}:\\d+$`));
    expect(fs.readFileSync(file, 'utf8')).toBe(`# on the lab server\nname: ${TOPO_LAB}\ntopology:\n  nodes:\n    n1:\n      kind: linux\n      publish:\n        - tcp/7\n`);
    expect(sftpLogSince(labHost, logFrom)).toMatch(/posix-rename old "[^"]+" new "[^"]+\.clab\.yml"/);
    expect(fs.statSync(file).uid).not.toBe(0); // written by the lab host's user, not by this process
  });
});
