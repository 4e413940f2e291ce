import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import type { TestHost } from '../test-support/host-process';
import { startLab, type TestLab } from '../test-support/lab-containers';
import { accepts, echoThrough, httpGet } from '../test-support/net-client';
import { closeApp, endpointOf, openApp } from '../test-support/ui-steps';

// Topology files as the source of truth: a lab whose file has publish blocks is published the
// moment its containers appear, taken down when they go, and UI choices are written back.
const LAB = `topo${process.pid}`;

function topologyText(): string {
  return `# A lab shared with a customer: keep this comment.
name: ${LAB}

topology:
  kinds:
    linux:
      image: clab-publisher-test-node:latest
      publish:
        - http/80 # every linux node serves its status page
  nodes:
    n1:
      kind: linux
      publish:
        - tcp/7
        - udp/53
        - ftp/21
    n2:
      kind: linux
`;
}

test.describe.serial('topology file publish blocks', () => {
  let dir: string;
  let file: string;
  let host: TestHost;
  let page: Page;
  let lab: TestLab | undefined;

  test.beforeAll(async ({ browser }) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-topo-e2e-'));
    file = path.join(dir, `${LAB}.clab.yml`);
    fs.writeFileSync(file, topologyText());
    ({ host, page } = await openApp(browser));
  });

  test.afterAll(async () => {
    await closeApp({ host, page });
    await lab?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const row = (node: string, port: number) => page.getByTestId(`tunnel-${node}-${port}`);
  const endpointAt = (node: string, port: number) => endpointOf(row(node, port));

  test('deploying the lab publishes its entries without a click; bad entries are shown with their line', async () => {
    lab = await startLab({ lab: LAB, topoFile: file, nodes: [{ name: 'n1', kind: 'linux' }, { name: 'n2', kind: 'linux' }] });
    await page.getByTestId(`lab-${LAB}`).click();
    for (const [node, port] of [['n1', 7], ['n2', 80]] as const) {
      await expect(row(node, port).getByTestId('tunnel-state')).toHaveText('online');
    }
    // n1's own list replaces the kind's: no http/80 for n1.
    await expect(row('n1', 80)).toHaveCount(0);
    await expect(row('n1', 7).getByTestId('tunnel-origin')).toHaveText(`${path.basename(file)}:14`);
    await expect(row('n2', 80).getByTestId('tunnel-origin')).toHaveText(`${path.basename(file)}:9`);
    const diag = page.getByTestId('topology-diagnostic').filter({ hasText: 'ftp/21' });
    await expect(diag).toContainText(':16:');
    await expect(diag).toContainText('type ftp is not supported');
    // udp is this app's extension: a note (containerlab never knew it), not an error.
    const note = page.getByTestId('topology-diagnostic').filter({ hasText: 'udp/53' });
    await expect(note).toHaveAttribute('data-severity', 'info');
    await expect(note).toContainText(':15:');
    await expect(note).toContainText("clab-publisher's extension");

    await lab.waitForPorts('n1', [7]);
    const ep = await endpointAt('n1', 7);
    const payload = randomBytes(64 * 1024);
    expect((await echoThrough(ep.host, ep.port, payload)).equals(payload)).toBe(true);
    expect(await httpGet((await endpointAt('n2', 80)).host, (await endpointAt('n2', 80)).port)).toContain('clab-publisher test node');
  });

  test('a change to the file on disk is picked up', async () => {
    fs.writeFileSync(file, topologyText().replace('    n2:\n      kind: linux\n', '    n2:\n      kind: linux\n      publish: [tcp/8080]\n'));
    await expect(row('n2', 8080).getByTestId('tunnel-state')).toHaveText('online');
    await expect(row('n2', 80)).toHaveCount(0);
  });

  test('a port published by clicking can be saved into the file, keeping everything else', async () => {
    await page.getByTestId('port-n1-8080').click();
    await page.getByTestId('publish-type').selectOption('tcp');
    await page.getByTestId('publish-submit').click();
    await expect(row('n1', 8080).getByTestId('tunnel-origin')).toHaveText('UI');
    const before = fs.readFileSync(file, 'utf8');
    await row('n1', 8080).getByTestId('tunnel-save').click();
    await expect(row('n1', 8080).getByTestId('tunnel-origin')).toHaveText(new RegExp(`^${path.basename(file)}:\\d+$`));
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toContain('        - tcp/8080\n');
    // Only the new line was added: everything else is byte for byte the same.
    expect(after.replace('        - tcp/8080\n', '')).toBe(before);
    expect(after).toContain('# A lab shared with a customer: keep this comment.');
  });

  test('destroying the lab closes its tunnels', async () => {
    const ep = await endpointAt('n1', 7);
    await lab!.remove();
    lab = undefined;
    await expect(page.getByTestId('tunnels-table').locator('[data-testid^="tunnel-n"]')).toHaveCount(0);
    expect(await accepts(ep.host, ep.port)).toBe(false);
  });
});

// A shared lab server: another user's lab is in the same Docker. Its file's entries are not
// published until the user opts in, with one click, for that lab and that owner.
test.describe.serial('a lab someone else deployed', () => {
  const THEIRS = `theirs${process.pid}`;
  let dir: string;
  let host: TestHost;
  let page: Page;
  let lab: TestLab | undefined;

  test.beforeAll(async ({ browser }) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-owner-e2e-'));
    const file = path.join(dir, `${THEIRS}.clab.yml`);
    fs.writeFileSync(file, `name: ${THEIRS}\ntopology:\n  nodes:\n    n1:\n      kind: linux\n      publish: [tcp/7]\n`);
    ({ host, page } = await openApp(browser));
    lab = await startLab({ lab: THEIRS, topoFile: file, owner: 'alice', nodes: [{ name: 'n1', kind: 'linux' }] });
  });

  test.afterAll(async () => {
    await closeApp({ host, page });
    await lab?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('is listed as alice\'s, its entries unpublished, until one click opts in; another click stops it', async () => {
    const labButton = page.getByTestId(`lab-${THEIRS}`);
    await expect(labButton.getByTestId('lab-owner')).toHaveText('by alice');
    await labButton.click();
    const notice = page.getByTestId('topology-ownership');
    await expect(notice.getByTestId('topology-ownership-reason')).toHaveText(new RegExp('^deployed by alice, not by you \\('));
    await expect(notice).toContainText('(1 entry) are not published automatically');
    await expect(page.getByTestId('topology-entries')).toHaveText('1 entry');
    await expect(page.getByTestId('tunnel-n1-7')).toHaveCount(0);

    await notice.getByTestId('topology-opt-in').click();
    await expect(page.getByTestId('tunnel-n1-7').getByTestId('tunnel-state')).toHaveText('online');
    await expect(notice).toHaveAttribute('data-opted-in', 'true');
    await lab!.waitForPorts('n1', [7]);
    const ep = await endpointOf(page.getByTestId('tunnel-n1-7'));
    const payload = randomBytes(4096);
    expect((await echoThrough(ep.host, ep.port, payload)).equals(payload)).toBe(true);

    await notice.getByTestId('topology-opt-in').click();
    await expect(page.getByTestId('tunnel-n1-7')).toHaveCount(0);
    await expect(notice).toHaveAttribute('data-opted-in', 'false');
  });
});
