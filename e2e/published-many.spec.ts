import { expect, test, type Page } from '@playwright/test';
import { startHost, type TestHost } from '../test-support/host-process';
import { RpcClient } from '../test-support/rpc-client';

/**
 * A long Published ports table is virtual: only the rows in view (and a few around them) are
 * in the page, between spacers that keep the scroll height of all of them, so a thousand live
 * rows cost what forty do. The rows are publications of nodes that cannot run (Docker is
 * unreachable on purpose): the table shows them all the same, which is all this needs.
 */
const COUNT = 250;

test.describe.serial('published ports: a long table renders the rows in view', () => {
  let host: TestHost;
  let page: Page;
  const rows = () => page.locator('[data-testid^="tunnel-many"]');

  test.beforeAll(async ({ browser }) => {
    host = await startHost({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    const rpc = await RpcClient.open(host);
    try {
      for (let i = 0; i < COUNT; i++) await rpc.call('publications.add', { lab: 'many', node: `many${String(i).padStart(3, '0')}`, port: 22, type: 'ssh', provider: 'local' });
    } finally {
      rpc.close();
    }
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    await expect(page.getByTestId('tunnels-table')).toContainText('many000');
  });

  test.afterAll(async () => {
    await page?.close();
    await host?.stop();
  });

  test(`of ${COUNT} rows only a window is in the page, and scrolling brings the rest in order`, async () => {
    await expect(page.locator('#tunnels-title')).toContainText(`/${COUNT} online`);
    const inPage = await rows().count();
    expect(inPage).toBeGreaterThan(5);
    expect(inPage).toBeLessThan(80);
    // The spacers stand in for the rest (at an estimated height until a row was seen): the
    // table is at least as tall as all its rows on one line each.
    const table = await page.getByTestId('tunnels-table').boundingBox();
    expect(table!.height).toBeGreaterThan(25 * COUNT);

    await expect(page.getByTestId('tunnel-many249-22')).toHaveCount(0);
    // Rows measured on the way are taller than the estimate, so the end moves: scroll until it stays.
    await expect(async () => {
      await page.locator('main').evaluate((m) => m.scrollTo(0, m.scrollHeight));
      await expect(page.getByTestId('tunnel-many249-22')).toBeInViewport({ timeout: 500 });
    }).toPass({ timeout: 10_000 });
    await expect(page.getByTestId('tunnel-many000-22')).toHaveCount(0);
    expect(await rows().count()).toBeLessThan(80);
    // In the list's order, with nothing left out around the window.
    const names = await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')));
    const numbers = names.map((n) => Number(/many(\d+)/.exec(n!)![1]));
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i));
    expect(numbers.at(-1)).toBe(COUNT - 1);
  });
});
