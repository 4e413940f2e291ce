import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import type { TestHost } from '../test-support/host-process';
import { startLab, type TestLab } from '../test-support/lab-containers';
import { accepts, echoThrough, httpGet } from '../test-support/net-client';
import { startSshd, type TestSshd } from '../test-support/sshd';
import { closeApp, configureSshRelay, endpointOf, openApp, publishPort } from '../test-support/ui-steps';

// The main job end to end, every part real: labelled lab containers in the real dockerd, the
// headless host as a process, the UI in Chromium, an OpenSSH sshd as relay.
const LAB = `e2e${process.pid}`;

test.describe.serial('see a lab, publish node ports by clicking, use them', () => {
  let lab: TestLab;
  let relay: TestSshd;
  let host: TestHost;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    [lab, relay] = await Promise.all([
      startLab({ lab: LAB, nodes: [{ name: 'r1', kind: 'linux' }, { name: 'r2', kind: 'linux' }, { name: 'srl1', kind: 'nokia_srlinux' }] }),
      startSshd(),
    ]);
    await lab.waitForPorts('r1', [7, 80]);
    await lab.waitForPorts('r2', [8080]);
    ({ host, page } = await openApp(browser));
  });

  test.afterAll(async () => {
    await closeApp({ host, page });
    await Promise.all([lab?.remove(), relay?.stop()]);
  });

  const tunnelRow = (node: string, port: number) => page.getByTestId(`tunnel-${node}-${port}`);
  const endpointAt = (node: string, port: number) => endpointOf(tunnelRow(node, port));

  test('shows the lab with its nodes, addresses and listening ports', async () => {
    await page.getByTestId(`lab-${LAB}`).click();
    await expect(page.getByTestId('node-r1')).toContainText(`clab-${LAB}-r1`);
    await expect(page.getByTestId('node-r1')).toContainText(await lab.ip('r1'));
    await expect(page.getByTestId('port-r1-7')).toBeVisible();
    await expect(page.getByTestId('port-r1-80')).toBeVisible();
    // srl hints are shown even though nothing listens there in the test image.
    await expect(page.getByTestId('port-srl1-57400')).toBeVisible();
  });

  test('publishes a port on this computer in two clicks and moves bytes through it byte-exact', async () => {
    await page.getByTestId('port-r1-7').click();
    await expect(page.getByTestId('publish-dialog')).toBeVisible();
    await expect(page.getByTestId('publish-type')).toHaveValue('tcp');
    await page.getByTestId('publish-submit').click();
    await expect(tunnelRow('r1', 7).getByTestId('tunnel-state')).toHaveText('online');
    const ep = await endpointAt('r1', 7);
    expect(ep.host).toBe('127.0.0.1');
    const payload = randomBytes(256 * 1024);
    expect((await echoThrough(ep.host, ep.port, payload)).equals(payload)).toBe(true);
    await expect(tunnelRow('r1', 7)).toContainText('256 KiB');
  });

  test('refuses to publish the same node port twice, naming the existing one', async () => {
    await page.getByTestId('port-r1-7').click();
    // A published chip leads to its tunnel instead of a second publication; the API refuses too.
    // The page took the token out of its address; the test knows it from the host.
    const res = await page.evaluate(async ({ lab, token }) => {
      const ws = new WebSocket(`ws://${location.host}/api?token=${token}`);
      await new Promise((r) => (ws.onopen = r));
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'publications.add', params: { lab, node: 'r1', port: 7, type: 'tcp' } }));
      const msg = await new Promise<string>((r) => (ws.onmessage = (e) => r(String(e.data))));
      ws.close();
      return JSON.parse(msg);
    }, { lab: LAB, token: host.token });
    expect(res.error.message).toMatch(/already published as clab-r1-tcp-7/);
    await expect(page.getByTestId('tunnels-table').locator('[data-testid^="tunnel-r1-7"]')).toHaveCount(1);
  });

  test('publishes through the SSH relay after the user confirms its host key', async () => {
    await configureSshRelay(page, relay);

    await publishPort(page, 'r2', 8080, 'ssh');
    // Trust on first use is explicit: the fingerprint is shown and must be confirmed.
    const prompt = page.getByTestId('hostkey-prompt').first();
    await expect(prompt.getByTestId('hostkey-fingerprint')).toHaveText(relay.hostKeyFingerprint);
    await prompt.getByTestId('hostkey-trust').click();
    await expect(tunnelRow('r2', 8080).getByTestId('tunnel-state')).toHaveText('online');
    const ep = await endpointAt('r2', 8080);
    expect(ep.host).toBe(relay.host);
    expect(ep.port).not.toBe(relay.port);
    const payload = randomBytes(128 * 1024);
    expect((await echoThrough(ep.host, ep.port, payload)).equals(payload)).toBe(true);
  });

  test('publishes HTTP and serves the node\'s page through it', async () => {
    await page.getByTestId('port-r1-80').click();
    await expect(page.getByTestId('publish-type')).toHaveValue('http');
    await page.getByTestId('publish-submit').click();
    await expect(tunnelRow('r1', 80).getByTestId('tunnel-state')).toHaveText('online');
    const ep = await endpointAt('r1', 80);
    expect(await httpGet(ep.host, ep.port)).toContain('clab-publisher test node');
  });

  test('a stopped node parks its tunnel; back on a new address it is re-targeted on the same public port', async () => {
    const before = await endpointAt('r1', 7);
    const oldIp = await lab.ip('r1');
    await lab.stop('r1');
    await expect(tunnelRow('r1', 7).getByTestId('tunnel-state')).toHaveText('waiting-for-node');
    // Take r1's address with another container so Docker gives r1 a new one.
    const filler = await startLab({ lab: `${LAB}f`, nodes: [{ name: 'filler' }], network: lab.network });
    try {
      await lab.start('r1');
      expect(await lab.ip('r1')).not.toBe(oldIp);
      await expect(tunnelRow('r1', 7).getByTestId('tunnel-state')).toHaveText('online');
      await expect(page.getByTestId('node-r1')).toContainText(await lab.ip('r1'));
      expect(await endpointAt('r1', 7)).toEqual(before);
      await lab.waitForPorts('r1', [7]);
      const payload = randomBytes(4096);
      expect((await echoThrough(before.host, before.port, payload)).equals(payload)).toBe(true);
    } finally {
      await filler.remove();
    }
  });

  test('a restarted node goes waiting-for-node, then online', async () => {
    const states: string[] = [];
    await page.exposeFunction('recordState', (s: string) => states.push(s));
    await page.evaluate(() => {
      // Watch the whole table: React may replace the cell, and the waiting state can be brief.
      const read = () => document.querySelector('[data-testid="tunnel-r2-8080"] [data-testid="tunnel-state"]')?.textContent ?? '';
      new MutationObserver(() => (window as unknown as { recordState(s: string): void }).recordState(read())).observe(document.body, { childList: true, characterData: true, subtree: true });
    });
    await lab.restart('r2');
    await expect.poll(() => states).toContain('waiting-for-node');
    await expect(tunnelRow('r2', 8080).getByTestId('tunnel-state')).toHaveText('online');
    await lab.waitForPorts('r2', [8080]);
    const ep = await endpointAt('r2', 8080);
    expect((await echoThrough(ep.host, ep.port, Buffer.from('after restart'))).toString()).toBe('after restart');
  });

  test('unpublishing closes the public port', async () => {
    for (const [node, port] of [['r1', 7], ['r2', 8080]] as const) {
      const ep = await endpointAt(node, port);
      const btn = tunnelRow(node, port).getByTestId('tunnel-unpublish');
      await btn.click();
      await btn.click(); // the inline confirmation
      await expect(tunnelRow(node, port)).toHaveCount(0);
      await expect.poll(() => accepts(ep.host, ep.port)).toBe(false);
    }
  });

  test('publications survive a restart of the host, on the same public port', async () => {
    const before = await endpointAt('r1', 80);
    host = await host.restart();
    await page.goto(host.url);
    await expect(tunnelRow('r1', 80).getByTestId('tunnel-state')).toHaveText('online');
    const ep = await endpointAt('r1', 80);
    expect(ep).toEqual(before); // the address people were given still works
    expect(await httpGet(ep.host, ep.port)).toContain('clab-publisher test node');
  });
});
