import fs from 'node:fs';
import net from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { startHost, type TestHost } from '../test-support/host-process';
import { RpcClient } from '../test-support/rpc-client';

/**
 * The log viewer with entries the core writes itself: a publication to a node that cannot run
 * (Docker is unreachable on purpose) logs a warning for every connection it has to close, and
 * the Docker retries after the first are logged at debug level.
 */
test.describe.serial('the log viewer', () => {
  let host: TestHost;
  let rpc: RpcClient;
  let page: Page;
  let port: number;

  /** One connection the listener closes at once: one "connection from 127.0.0.1:<p> closed" line. */
  const touch = () =>
    new Promise<number>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        const from = s.localPort!;
        s.once('close', () => resolve(from));
      });
      s.once('error', reject);
    });
  const touchMany = async (n: number) => {
    for (let i = 0; i < n; i++) await touch();
  };
  const rowFrom = (p: Page, from: number) => p.getByTestId('log-row').filter({ hasText: new RegExp(`127\\.0\\.0\\.1:${from}(?!\\d)`) });

  test.beforeAll(async ({ browser }) => {
    host = await startHost({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    rpc = await RpcClient.open(host);
    const { id } = await rpc.call('publications.add', { lab: 'logsview', node: 'absent', port: 7, type: 'tcp', provider: 'local' });
    await expect.poll(async () => (await rpc.call('tunnels.list', {})).find((t) => t.id === id)?.endpoint?.port ?? 0).toBeGreaterThan(0);
    port = (await rpc.call('tunnels.list', {})).find((t) => t.id === id)!.endpoint!.port;
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
  });

  test.afterAll(async () => {
    await page?.close();
    rpc?.close();
    await host?.stop();
  });

  test('shows info and above at first; debug entries are one click away', async () => {
    await expect.poll(async () => (await rpc.call('logs.query', { limit: 1000 })).filter((e) => e.level === 'debug').length).toBeGreaterThan(0);
    await expect(page.getByTestId('logs-level')).toHaveAttribute('data-level', 'info');
    await expect(page.getByTestId('log-row').first()).toBeVisible();
    await expect(page.locator('[data-testid="log-row"].level-debug')).toHaveCount(0);
    await page.getByTestId('logs-level-debug').click();
    await expect(page.locator('[data-testid="log-row"].level-debug').first()).toBeVisible();
    await expect(page.getByTestId('logs-level-debug')).toHaveAttribute('aria-checked', 'true');
    await page.getByTestId('logs-level-info').click();
    await expect(page.locator('[data-testid="log-row"].level-debug')).toHaveCount(0);
  });

  test('keeps only the rows in view in the DOM while following the newest entry', async () => {
    await touchMany(400);
    const last = await touch();
    await expect(rowFrom(page, last)).toBeVisible();
    await expect(page.getByTestId('logs-follow')).toBeChecked();
    const rows = await page.getByTestId('log-row').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(80);
    const shown = Number((await page.getByTestId('logs-count').innerText()).replace(/[^\d].*$/s, '').replace(/,/g, ''));
    expect(shown).toBeGreaterThan(400);
  });

  test('scrolling up pauses and holds the row being read; "new" goes back to the newest', async () => {
    const view = page.getByTestId('log-rows');
    await view.hover();
    await page.mouse.wheel(0, -2000);
    await expect(page.getByTestId('logs-follow')).not.toBeChecked();
    const box = (await view.boundingBox())!;
    const seqAtTop = () => page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid="log-row"]')?.getAttribute('data-seq') ?? null, [box.x + 40, box.y + 30]);
    const before = await seqAtTop();
    expect(before).not.toBeNull();
    await touchMany(30);
    const last = await touch();
    await expect(page.getByTestId('logs-new')).toContainText('31 new');
    expect(await seqAtTop()).toBe(before);
    await expect(rowFrom(page, last)).toHaveCount(0);
    await page.getByTestId('logs-new').click();
    await expect(page.getByTestId('logs-follow')).toBeChecked();
    await expect(rowFrom(page, last)).toBeVisible();
  });

  test('exports the entries shown, as text, one line each', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('logs-export-text').click()]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(430);
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO |WARN |ERROR) /);
    expect(lines.some((l) => /connection from 127\.0\.0\.1:\d+ closed/.test(l))).toBe(true);
  });
});
