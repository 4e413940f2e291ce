import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { makeCa, startBorder0Standin, type Standin } from '../test-support/border0-standin';
import { startHost, type TestHost } from '../test-support/host-process';
import { startLab, type TestLab } from '../test-support/lab-containers';
import { echoThrough } from '../test-support/net-client';
import { startTinyproxy, type Tinyproxy } from '../test-support/tinyproxy';
import { startTunnelSshd, type TunnelSshd } from '../test-support/tunnel-sshd';

// border0 end to end: the API is a local stand-in that follows docs/border0.md (the
// service cannot be reached from here); the tunnel server is a real OpenSSH sshd that checks
// the certificates the stand-in signs; the proxy is a real tinyproxy.
const LAB = `b0${process.pid}`;
const USER_ID = 'b0a1c2d3-e4f5-a6b7-c8d9-e0f1a2b3c4d5';

test.describe.serial('border0: browser login, identity-aware sockets, certificate SSH tunnels', () => {
  let dir: string;
  let standin: Standin;
  let tunnel: TunnelSshd;
  let proxy: Tinyproxy;
  let host: TestHost;
  let lab: TestLab;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-b0-e2e-'));
    const ca = await makeCa(dir);
    tunnel = await startTunnelSshd({ caPubKeyPath: ca.caPubPath, user: USER_ID.replace(/-/g, '') });
    [standin, lab, proxy] = await Promise.all([
      startBorder0Standin({ caKeyPath: ca.caKeyPath, tunnelServer: { host: tunnel.host, port: tunnel.port }, hostKeyPub: tunnel.hostKeyPub, userId: USER_ID }),
      startLab({ lab: LAB, nodes: [{ name: 'n1', kind: 'linux' }] }),
      startTinyproxy({ connectPorts: [tunnel.port] }),
    ]);
    await lab.waitForPorts('n1', [7, 80]);
    host = await startHost({ env: { BORDER0_API: standin.apiUrl, BORDER0_WEB_URL: standin.portalUrl, BORDER0_TUNNEL: `${tunnel.host}:${tunnel.port}` } });
    page = await browser.newPage();
    await page.goto(host.url);
    await page.getByTestId(`lab-${LAB}`).click();
  });

  test.afterAll(async () => {
    await page?.close();
    await host?.stop();
    await Promise.all([lab?.remove(), tunnel?.stop(), proxy?.stop(), standin?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const row = (node: string, port: number) => page.getByTestId(`tunnel-${node}-${port}`);
  const localPortOf = (name: string) => standin.sockets.find((s) => s.name === name)!.tunnels[0].local_port;
  const publish = async (node: string, port: number, access?: string) => {
    await page.getByTestId(`port-${node}-${port}`).click();
    await page.getByTestId('publish-provider').selectOption('border0');
    if (access) await page.getByTestId('publish-access').fill(access);
    await page.getByTestId('publish-submit').click();
  };

  test('logs in through the browser window; the account shows who and until when', async () => {
    await page.getByTestId('open-accounts').click();
    const popupOpened = page.waitForEvent('popup');
    await page.getByTestId('border0-login').click();
    await expect(page.getByTestId('border0-login-wait')).toBeVisible();
    const popup = await popupOpened;
    await popup.waitForURL(/\/portal\/login\?device_identifier=/);
    await popup.locator('#sign-in').click();
    await expect(page.getByTestId('border0-user')).toHaveText(standin.email);
    await expect(page.getByTestId('border0-expiry')).toContainText(/expires in/);
    await expect.poll(() => popup.isClosed()).toBe(true);
    await page.keyboard.press('Escape');
  });

  test('publishes a node port through border0 and moves bytes through the tunnel byte-exact', async () => {
    await publish('n1', 7);
    await expect(row('n1', 7).getByTestId('tunnel-state')).toHaveText('online');
    const socket = standin.sockets.find((s) => s.name === 'clab-n1-tcp-7')!;
    expect(socket.tags).toMatchObject({ 'clab-publisher': 'true', 'clab-lab': LAB });
    await expect(row('n1', 7)).toContainText(socket.socket_id);
    await expect(row('n1', 7)).toContainText(socket.dnsname);
    // The tunnel server forwards its side of the tunnel (the service's edge would sit there).
    const payload = randomBytes(256 * 1024);
    expect((await echoThrough('127.0.0.1', localPortOf('clab-n1-tcp-7'), payload)).equals(payload)).toBe(true);
    expect(fs.readFileSync(tunnel.logFile, 'utf8')).toMatch(/Accepted publickey for \w+ .*ECDSA-CERT/);
  });

  test('identity-aware entries send the emails and domains as cloud auth', async () => {
    await publish('n1', 80, 'alice@example.com, example.org');
    await expect(row('n1', 80).getByTestId('tunnel-state')).toHaveText('online');
    const req = await standin.waitForRequest((r) => r.method === 'POST' && r.path.endsWith('/socket') && (r.body as { name?: string })?.name === 'clab-n1-http-80');
    expect(req.body).toMatchObject({
      socket_type: 'http',
      cloud_authentication_enabled: true,
      cloud_authentication_email_allowed_addressses: ['alice@example.com'],
      cloud_authentication_email_allowed_domains: ['example.org'],
    });
  });

  test('policy names are checked against the organisation and sent as policies', async () => {
    standin.setPolicies(['lab-viewers']);
    const call = async (params: object) =>
      page.evaluate(async ({ p, token }) => {
        const ws = new WebSocket(`ws://${location.host}/api?token=${token}`);
        await new Promise((r) => (ws.onopen = r));
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'publications.add', params: p }));
        const msg = await new Promise<string>((r) => (ws.onmessage = (e) => r(String(e.data))));
        ws.close();
        return JSON.parse(msg);
      }, { p: params, token: host.token });
    await call({ lab: LAB, node: 'n1', port: 8080, type: 'tls', provider: 'border0', access: ['nobody-knows'], accessKind: 'policies' });
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('failed');
    await expect(row('n1', 8080).getByTestId('tunnel-reason')).toContainText('unknown border0 policy: nobody-knows');
    await row('n1', 8080).getByTestId('tunnel-unpublish').click();
    await row('n1', 8080).getByTestId('tunnel-unpublish').click();
    await call({ lab: LAB, node: 'n1', port: 8080, type: 'tls', provider: 'border0', access: ['lab-viewers'], accessKind: 'policies' });
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('online');
    const req = await standin.waitForRequest((r) => r.method === 'POST' && (r.body as { policy_names?: string[] })?.policy_names?.[0] === 'lab-viewers');
    expect(req.body).toMatchObject({ name: 'clab-n1-tls-8080', policy_names: ['lab-viewers'] });
  });

  test('429 backs off and says so; then the socket is made', async () => {
    await row('n1', 8080).getByTestId('tunnel-unpublish').click();
    await row('n1', 8080).getByTestId('tunnel-unpublish').click();
    await expect(row('n1', 8080)).toHaveCount(0);
    standin.failNext(429, { error_message: 'slow down' }, { 'Retry-After': '2' });
    await publish('n1', 8080);
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('reconnecting');
    await expect(row('n1', 8080).getByTestId('tunnel-reason')).toContainText('rate limiting');
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('online');
  });

  const unpublish = async (node: string, port: number) => {
    await row(node, port).getByTestId('tunnel-unpublish').click();
    await row(node, port).getByTestId('tunnel-unpublish').click();
    await expect(row(node, port)).toHaveCount(0);
  };

  test('the SSH dataplane goes through an HTTP CONNECT proxy; proxy down is a clear state', async () => {
    await unpublish('n1', 7);
    await page.getByTestId('open-providers').click();
    await page.getByTestId('border0-proxy').fill(`http://127.0.0.1:${proxy.port}`);
    await page.getByTestId('border0-save').click();
    await page.keyboard.press('Escape');
    await publish('n1', 7);
    await expect(row('n1', 7).getByTestId('tunnel-state')).toHaveText('online');
    expect(fs.readFileSync(proxy.logFile, 'utf8')).toContain(`127.0.0.1:${tunnel.port}`);
    const payload = randomBytes(32 * 1024);
    expect((await echoThrough('127.0.0.1', localPortOf('clab-n1-tcp-7'), payload)).equals(payload)).toBe(true);

    // The proxy goes away, then the tunnel server drops every session: reconnecting must say why.
    await proxy.stop();
    await tunnel.stop();
    await tunnel.start();
    await expect(row('n1', 7).getByTestId('tunnel-state')).toHaveText('reconnecting');
    await expect(row('n1', 7).getByTestId('tunnel-reason')).toContainText(`proxy 127.0.0.1:${proxy.port}`);
  });

  test('401 from the service: the account says log in again, running tunnels stay up', async () => {
    await page.getByTestId('open-providers').click();
    await page.getByTestId('border0-proxy').fill('');
    await page.getByTestId('border0-save').click();
    await page.keyboard.press('Escape');
    await unpublish('n1', 8080);
    standin.failNext(401, { error_message: 'token revoked' });
    await publish('n1', 8080);
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('failed');
    await expect(row('n1', 8080).getByTestId('tunnel-reason')).toContainText('log in again');
    await page.getByTestId('open-accounts').click();
    await expect(page.getByTestId('accounts-panel')).toContainText(/log in/i);
    // The tunnel made before is still carrying traffic.
    await expect(row('n1', 80).getByTestId('tunnel-state')).toHaveText('online');
    await page.keyboard.press('Escape');
  });

  test('an expired token keeps running tunnels up; a new publication asks for a login', async () => {
    const file = path.join(dir, '.border0_token');
    fs.writeFileSync(file, standin.issueToken({ expInSeconds: 25 }), { mode: 0o600 });
    await page.getByTestId('open-accounts').click();
    await page.getByTestId('border0-import-path').fill(file);
    await page.getByTestId('border0-import').click();
    await expect(page.getByTestId('border0-user')).toHaveText(standin.email);
    await page.keyboard.press('Escape');
    await unpublish('n1', 8080);
    await publish('n1', 8080);
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('online');
    // Expiry counts 10 s early: the 25 s token is expired within 15 s.
    await page.getByTestId('open-accounts').click();
    await expect(page.getByTestId('accounts-panel')).toContainText(/expired/i, { timeout: 30_000 });
    await page.keyboard.press('Escape');
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('online');
    const payload = randomBytes(4096);
    expect((await echoThrough('127.0.0.1', localPortOf('clab-n1-http-8080'), payload)).equals(payload)).toBe(true);
    // A new publication asks for a login instead of failing later.
    await unpublish('n1', 80);
    await page.getByTestId('port-n1-80').click();
    await page.getByTestId('publish-provider').selectOption('border0');
    await expect(page.getByTestId('publish-border0-login')).toBeVisible();
    await expect(page.getByTestId('publish-submit')).toBeDisabled();
    await page.keyboard.press('Escape');
  });
});
