import { expect, test, type Page } from '@playwright/test';
import { startHost, type TestHost } from '../test-support/host-process';
import { RpcClient } from '../test-support/rpc-client';

/**
 * The published ports table on common laptop screens: its actions stay on screen however
 * many columns there are, and the columns shown are the user's choice, kept across reloads.
 * The rows are publications of nodes that cannot run (Docker is unreachable on purpose):
 * the table shows them all the same, which is all this needs.
 */
test.describe.serial('published ports: columns to choose, actions always visible', () => {
  let host: TestHost;
  let page: Page;
  const headers = () => page.getByTestId('tunnels-table').locator('thead th').allInnerTexts();

  test.beforeAll(async ({ browser }) => {
    host = await startHost({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    const rpc = await RpcClient.open(host);
    try {
      for (const [node, port, type] of [['a', 22, 'ssh'], ['b', 80, 'http'], ['c', 57400, 'tcp']] as const) {
        await rpc.call('publications.add', { lab: 'cols', node, port, type, provider: 'local' });
      }
    } finally {
      rpc.close();
    }
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await expect(page.getByTestId('tunnel-unpublish')).toHaveCount(3);
  });

  test.afterAll(async () => {
    await page?.close();
    await host?.stop();
  });

  for (const [width, height] of [
    [1440, 900],
    [1280, 800],
  ] as const) {
    test(`at ${width} px with every column, each row's actions are on screen`, async () => {
      await page.setViewportSize({ width, height });
      expect(await headers()).toContain('Socket ID');
      // Sideways only: each Unpublish lies inside the table's visible width, which lies inside
      // the window, without scrolling anything.
      const sideways = await page.getByTestId('tunnels-table').evaluate((table) => {
        const wrap = table.parentElement!.getBoundingClientRect();
        return {
          wrap: [wrap.left, wrap.right],
          buttons: [...table.querySelectorAll('[data-testid="tunnel-unpublish"]')].map((b) => [b.getBoundingClientRect().left, b.getBoundingClientRect().right]),
          tableWidth: table.scrollWidth,
        };
      });
      expect(sideways.tableWidth).toBeGreaterThan(sideways.wrap[1] - sideways.wrap[0]);
      expect(sideways.wrap[1]).toBeLessThanOrEqual(width);
      expect(sideways.buttons).toHaveLength(3);
      for (const [left, right] of sideways.buttons) {
        expect(left).toBeGreaterThanOrEqual(sideways.wrap[0]);
        expect(right).toBeLessThanOrEqual(sideways.wrap[1]);
      }
    });
  }

  test('hidden columns stay hidden after a reload; the actions cannot be hidden', async () => {
    await page.getByTestId('tunnel-columns').click();
    await expect(page.getByTestId('tunnel-columns-list')).toBeVisible();
    await expect(page.getByTestId('tunnel-columns-actions')).toHaveCount(0);
    await page.getByTestId('tunnel-columns-socketId').uncheck();
    await page.getByTestId('tunnel-columns-dns').uncheck();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('tunnel-columns-list')).toHaveCount(0);
    await expect(page.getByTestId('tunnel-columns')).toHaveText('Columns (2 hidden) ▾');
    expect(await headers()).not.toContain('Socket ID');

    await page.reload();
    await expect(page.getByTestId('tunnel-unpublish')).toHaveCount(3);
    const after = await headers();
    expect(after).not.toContain('Socket ID');
    expect(after).not.toContain('DNS name / host');
    expect(after).toContain('Address');
    await expect(page.getByTestId('tunnel-columns')).toHaveText('Columns (2 hidden) ▾');
  });

  test('"Show all" brings every column back', async () => {
    await page.getByTestId('tunnel-columns').click();
    await page.getByTestId('tunnel-columns-all').click();
    expect(await headers()).toEqual(expect.arrayContaining(['Socket ID', 'DNS name / host']));
    await expect(page.getByTestId('tunnel-columns')).toHaveText('Columns ▾');
  });
});
