import { expect, test } from '@playwright/test';
import { startHost, type TestHost } from '../test-support/host-process';

/**
 * When the host closes a tab's connection on purpose it says why, and the tab shows that
 * reason instead of a bare "connection lost": here one tab too many for `--max-clients 1`.
 */
test.describe('a connection the host closes on purpose', () => {
  let host: TestHost;
  test.beforeAll(async () => {
    // No Docker needed: only the page's connection to the host is tested.
    host = await startHost({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, args: ['--max-clients', '1'] });
  });
  test.afterAll(async () => {
    await host?.stop();
  });

  test('a tab over --max-clients shows the host\'s reason and what to do', async ({ browser }) => {
    const first = await (await browser.newContext()).newPage();
    await first.goto(host.url);
    await expect(first.getByTestId('open-providers')).toBeVisible();
    await expect(first.getByTestId('connection-banner')).toHaveCount(0);

    const second = await (await browser.newContext()).newPage();
    await second.goto(host.url);
    const banner = second.getByTestId('connection-banner');
    await expect(banner).toContainText('The host closed the connection: too many clients (1): close another tab or raise --max-clients.');

    // The first tab was never disturbed.
    await expect(first.getByTestId('connection-banner')).toHaveCount(0);
  });
});
