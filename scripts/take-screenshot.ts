import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { startLab } from '../test-support/lab-containers';
import { startHost } from '../test-support/host-process';
import { startSshd } from '../test-support/sshd';
import { startLabHostSshd, stopLabHostSshd } from '../test-support/lab-host-sshd';
import { configureSshRelay, publishPort } from '../test-support/ui-steps';

// Regenerates docs/screenshot.png (README) against a real lab, relay and host: npx tsx scripts/take-screenshot.ts
(async () => {
  const topo = path.join(os.tmpdir(), 'srl-demo.clab.yml');
  fs.writeFileSync(topo, `# Demo lab for the customer call\nname: srl-demo\ntopology:\n  kinds:\n    nokia_srlinux:\n      image: ghcr.io/nokia/srlinux\n  nodes:\n    leaf1:\n      kind: nokia_srlinux\n      publish:\n        - tcp/7\n        - http/80\n    leaf2:\n      kind: nokia_srlinux\n    client1:\n      kind: linux\n      publish: [tcp/8080]\n`);
  const lab = await startLab({ lab: 'srl-demo', topoFile: topo, nodes: [{ name: 'leaf1', kind: 'nokia_srlinux', type: 'ixrd3' }, { name: 'leaf2', kind: 'nokia_srlinux', type: 'ixrd3' }, { name: 'client1', kind: 'linux' }] });
  const relay = await startSshd();
  // A second lab host: this machine again behind a loopback sshd (see test-support/lab-host-sshd.ts).
  const labHost = await startLabHostSshd();
  const host = await startHost();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(host.url);
  await page.getByTestId('tunnel-leaf1-7').getByTestId('tunnel-state').filter({ hasText: 'online' }).waitFor();
  await configureSshRelay(page, relay);
  await publishPort(page, 'leaf2', 80, 'ssh');
  await page.getByTestId('hostkey-trust').first().click();
  await page.getByTestId('tunnel-leaf2-80').getByTestId('tunnel-state').filter({ hasText: 'online' }).waitFor();
  await publishPort(page, 'leaf2', 57400);
  await page.getByTestId('tunnel-leaf2-57400').getByTestId('tunnel-state').filter({ hasText: 'waiting-for-node' }).waitFor().catch(() => {});
  await page.getByTestId('hosts-add').click();
  await page.getByTestId('host-url').fill(labHost.url);
  await page.getByTestId('host-keyfile').fill(labHost.clientKeyPath);
  await page.getByTestId('host-label').fill('lab-vm');
  await page.getByTestId('host-submit').click();
  if (process.env.SHOT_DIR) await page.screenshot({ path: path.join(process.env.SHOT_DIR, 'hostkey.png') });
  await page.getByTestId('host-hostkey-trust').click();
  const remote = page.getByTestId(`host-group-127.0.0.1-${labHost.port}`);
  await remote.getByTestId('lab-srl-demo').click();
  await publishPort(page, 'client1', 7);
  await page.getByTestId('tunnel-client1-7').getByTestId('tunnel-state').filter({ hasText: 'online' }).waitFor();
  // What a person sees once things settle: toasts gone, the lab's node table in view.
  for (const close of await page.getByTestId('toast').getByRole('button').all()) await close.click();
  await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0));
  await page.waitForTimeout(800);
  await page.screenshot({ path: 'docs/screenshot.png' });
  if (process.env.SHOT_DIR) {
    // Extra views for a human check: the host down, then removed.
    await labHost.stop();
    await page.getByTestId('host-banner').waitFor();
    await page.screenshot({ path: path.join(process.env.SHOT_DIR, 'host-down.png') });
    await labHost.start();
    await remote.and(page.locator('[data-state="connected"]')).waitFor();
    await page.getByTestId(`host-remove-127.0.0.1-${labHost.port}`).click();
    await page.getByTestId(`host-remove-127.0.0.1-${labHost.port}`).click();
    await page.getByTestId('tunnel-client1-7').getByTestId('tunnel-state').filter({ hasText: 'stopped' }).waitFor();
    await page.screenshot({ path: path.join(process.env.SHOT_DIR, 'host-removed.png') });
  }
  await browser.close();
  await host.stop();
  await relay.stop();
  await stopLabHostSshd(labHost);
  await lab.remove();
})().catch((e) => { console.error(e); process.exit(1); });
