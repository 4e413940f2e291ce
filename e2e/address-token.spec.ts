import { expect, test, type BrowserContext, type Page, type WebSocketRoute } from '@playwright/test';
import { startHost, type TestHost } from '../test-support/host-process';

/**
 * The headless host's token leaves the address bar once the page has read it, and the tab
 * still reconnects: after its connection dropped (a network blip, made by cutting the page's
 * WebSocket in Playwright's route) and after a reload. Another tab has no token: it needs the
 * printed address again.
 */
test.describe.serial('the access token in the page address', () => {
  let host: TestHost;
  let context: BrowserContext;
  let page: Page;
  /** Every WebSocket the page opened to /api, in order. */
  const sockets: { url: string; route: WebSocketRoute }[] = [];
  /** While set, new connections are dropped at once, as if the host did not answer. */
  let unreachable = false;

  /** The page talks to the host: no connection pill, no banner, the providers list arrived. */
  async function connected(p: Page) {
    await expect(p.getByTestId('connection-status')).toHaveCount(0);
    await expect(p.getByTestId('connection-banner')).toHaveCount(0);
    await p.getByTestId('open-providers').click();
    await expect(p.getByTestId('local-bind')).toBeVisible();
    await p.getByTestId('close-providers').click();
  }

  test.beforeAll(async ({ browser }) => {
    // No Docker needed: the page's connection to the host is what is tested.
    host = await startHost({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    // One context, so a second tab shares the browser's storage but not this tab's session.
    context = await browser.newContext();
    page = await context.newPage();
    await page.routeWebSocket(/\/api\?/, (ws) => {
      sockets.push({ url: ws.url(), route: ws });
      if (unreachable) void ws.close({ code: 1011, reason: 'blip' });
      else ws.connectToServer();
    });
  });

  test.afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  test('is taken out of the address bar (its history entry is replaced)', async () => {
    await page.goto(host.url);
    await connected(page);
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`);
    expect(sockets.map((s) => new URL(s.url).searchParams.get('token'))).toEqual([host.token]);
  });

  test('after a network blip the tab reconnects with the same token', async () => {
    unreachable = true;
    await sockets[0].route.close({ code: 1011, reason: 'blip' });
    await expect(page.getByTestId('connection-banner')).toContainText('Connection to the clab-publisher host lost');
    await expect.poll(() => sockets.length).toBeGreaterThan(1);
    unreachable = false;
    await connected(page);
    expect(sockets.length).toBeGreaterThan(2);
    for (const s of sockets) expect(new URL(s.url).searchParams.get('token')).toBe(host.token);
    expect(page.url()).not.toContain('token');
  });

  test('a reload of the tab reconnects with the token kept for this tab', async () => {
    const before = sockets.length;
    await page.reload();
    await connected(page);
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`);
    expect(sockets.length).toBeGreaterThan(before);
    expect(new URL(sockets[sockets.length - 1].url).searchParams.get('token')).toBe(host.token);
  });

  test('another tab at the bare address has no token and says what to open', async () => {
    const other = await context.newPage();
    try {
      await other.goto(`http://127.0.0.1:${host.port}/`);
      await expect(other.getByTestId('connection-banner')).toContainText('The page address has no access token.');
    } finally {
      await other.close();
    }
  });
});
