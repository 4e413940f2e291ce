import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { makeCa, startBorder0Standin, type Standin } from '../test-support/border0-standin';
import { startHost, type TestHost } from '../test-support/host-process';
import { startLab, type TestLab } from '../test-support/lab-containers';
import { echoThrough } from '../test-support/net-client';
import { RpcClient } from '../test-support/rpc-client';
import { startTinyproxy, type Tinyproxy } from '../test-support/tinyproxy';
import { startTlsFront, type TlsFront } from '../test-support/tls-front';
import { startTunnelSshd, type TunnelSshd } from '../test-support/tunnel-sshd';

// border0 end to end: the API is a local stand-in as strict as the real service
// (docs/border0.md, "What the real clients do"), the tunnel server a real OpenSSH sshd that
// checks the certificates the stand-in signs, the proxy a real tinyproxy.
const LAB = `b0${process.pid}`;
const LAB2 = `b0two${process.pid}`;
const MYSO = `b0myso${process.pid}`;
const BZERO = `b0bz${process.pid}`;
const USER_ID = 'b0a1c2d3-e4f5-a6b7-c8d9-e0f1a2b3c4d5';

/** A tunnel row of `lab` (rows of two labs may share node and port). */
const rowOf = (page: Page, lab: string, node: string, port: number) => page.getByTestId(`tunnel-${node}-${port}`).filter({ hasText: `${lab}/${node}:${port}` });

/** What a copy button would put on the clipboard. */
const copied = (l: Locator) => l.getAttribute('data-copy');

/** Starts echo listeners on `ports` inside a test node, so a published port there answers. */
async function listenInside(container: string, ports: number[]): Promise<void> {
  const script = ports.map((p) => `/bin/busybox nc -ll -p ${p} -e /bin/busybox cat &`).join(' ');
  const exec = await new Docker().getContainer(container).exec({ Cmd: ['/bin/busybox', 'sh', '-c', script], AttachStdout: false, AttachStderr: false });
  await exec.start({ Detach: true });
}

test.describe.serial('border0: browser login, sockets as the service wants them, certificate SSH tunnels', () => {
  let dir: string;
  let standin: Standin;
  let tunnel: TunnelSshd;
  let proxy: Tinyproxy;
  let host: TestHost;
  const labs: TestLab[] = [];
  let page: Page;
  let rpc: RpcClient;

  test.beforeAll(async ({ browser }) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-b0-e2e-'));
    const ca = await makeCa(dir);
    tunnel = await startTunnelSshd({ caPubKeyPath: ca.caPubPath, user: USER_ID.replace(/-/g, '') });
    standin = await startBorder0Standin({ caKeyPath: ca.caKeyPath, tunnelServer: { host: tunnel.host, port: tunnel.port }, hostKeyPub: tunnel.hostKeyPub, userId: USER_ID });
    const [lab, p] = await Promise.all([
      startLab({ lab: LAB, nodes: [{ name: 'n1', kind: 'linux' }] }),
      startTinyproxy({ connectPorts: [tunnel.port, Number(new URL(standin.url).port)] }),
    ]);
    labs.push(lab);
    proxy = p;
    await lab.waitForPorts('n1', [7, 80]);
    // No proxy from the environment for this host: the proxy tests below configure one.
    host = await startHost({ env: { BORDER0_API: standin.apiUrl, BORDER0_WEB_URL: standin.portalUrl, BORDER0_TUNNEL: `${tunnel.host}:${tunnel.port}`, HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' } });
    rpc = await RpcClient.open(host);
    page = await browser.newPage();
    await page.goto(host.url);
    await page.getByTestId(`lab-${LAB}`).click();
  });

  test.afterAll(async () => {
    await page?.close();
    await host?.stop();
    await Promise.all([...labs.map((l) => l.remove()), tunnel?.stop(), proxy?.stop(), standin?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const row = (node: string, port: number, lab = LAB) => rowOf(page, lab, node, port);
  const socketNamed = (name: string) => standin.sockets.find((s) => s.name === name);
  const localPortOf = (name: string) => socketNamed(name)!.tunnels[0].local_port;
  const publish = async (node: string, port: number, access?: string) => {
    await page.getByTestId(`port-${node}-${port}`).click();
    await page.getByTestId('publish-provider').selectOption('border0');
    if (access) await page.getByTestId('publish-access').fill(access);
    await page.getByTestId('publish-submit').click();
  };
  const unpublish = async (node: string, port: number, lab = LAB) => {
    await row(node, port, lab).getByTestId('tunnel-unpublish').click();
    await row(node, port, lab).getByTestId('tunnel-unpublish').click();
    await expect(row(node, port, lab)).toHaveCount(0);
  };

  test('logs in through the browser window although the service answers 401 while it waits', async () => {
    await page.getByTestId('open-accounts').click();
    const popupOpened = page.waitForEvent('popup');
    await page.getByTestId('border0-login').click();
    await expect(page.getByTestId('border0-login-wait')).toBeVisible();
    const popup = await popupOpened;
    await popup.waitForURL(/\/portal\/login\?device_identifier=/);
    // The app keeps polling through the service's "not yet" (401) answers.
    await standin.waitForRequest((r) => r.path === '/api/v1/device_authorizations' && r.method === 'GET' && r.status === 401);
    await popup.locator('#sign-in').click();
    await expect(page.getByTestId('border0-user')).toHaveText(standin.email);
    await expect(page.getByTestId('border0-expiry')).toContainText(/expires in/);
    await expect.poll(() => popup.isClosed()).toBe(true);
    const polls = standin.requests.filter((r) => r.path === '/api/v1/device_authorizations' && r.method === 'GET').map((r) => r.status);
    expect(polls.at(-1)).toBe(200);
    expect(polls.filter((s) => s === 401).length).toBeGreaterThanOrEqual(1);
    await page.keyboard.press('Escape');
  });

  test('tcp becomes a tls socket: the dialog says so, the row shows the border0 client command, bytes flow', async () => {
    await page.getByTestId('port-n1-7').click();
    await page.getByTestId('publish-provider').selectOption('border0');
    await expect(page.getByTestId('publish-tls-note')).toContainText('border0 has no anonymous TCP: viewers connect with border0 client tls');
    await expect(page.getByTestId('publish-name')).toHaveText(`clab-${LAB}-n1-tcp-7`);
    await page.getByTestId('publish-submit').click();
    await expect(row('n1', 7).getByTestId('tunnel-state')).toHaveText('online');
    const socket = socketNamed(`clab-${LAB}-n1-tcp-7`)!;
    expect(socket).toMatchObject({ socket_type: 'tls', cloud_authentication_enabled: true, tags: { 'clab-publisher': 'true', 'clab-lab': LAB, 'clab-host': 'local' } });
    await expect(row('n1', 7)).toContainText(socket.socket_id);
    await expect(row('n1', 7)).toContainText(socket.dnsname);
    await expect(row('n1', 7).getByTestId('tunnel-type')).toHaveText('tcp → tls');
    await expect(row('n1', 7).getByTestId('tunnel-cloud-auth')).toHaveText('true');
    expect(await copied(row('n1', 7).getByTestId('tunnel-copy-border0-tls'))).toBe(`border0 client tls --host ${socket.dnsname} --listener 7`);
    await expect(row('n1', 7).getByTestId('tunnel-copy-ssh')).toHaveCount(0);
    // The tunnel server forwards its side of the tunnel (the service's edge would sit there).
    const payload = randomBytes(256 * 1024);
    expect((await echoThrough('127.0.0.1', localPortOf(socket.name), payload)).equals(payload)).toBe(true);
    expect(fs.readFileSync(tunnel.logFile, 'utf8')).toMatch(/Accepted publickey for \w+ .*ECDSA-CERT/);
  });

  test('identity-aware http: emails and domains as cloud auth; viewers open https://<dns>/', async () => {
    await publish('n1', 80, 'alice@example.com, example.org');
    await expect(row('n1', 80).getByTestId('tunnel-state')).toHaveText('online');
    const req = await standin.waitForRequest((r) => r.method === 'POST' && r.path === '/api/v1/socket' && (r.body as { name?: string })?.name === `clab-${LAB}-n1-http-80`);
    expect(req.body).toMatchObject({
      socket_type: 'http',
      upstream_type: 'http',
      cloud_authentication_enabled: true,
      cloud_authentication_email_allowed_addressses: ['alice@example.com'],
      cloud_authentication_email_allowed_domains: ['example.org'],
    });
    await expect(row('n1', 80).getByTestId('tunnel-open')).toHaveAttribute('title', `Open https://${socketNamed(`clab-${LAB}-n1-http-80`)!.dnsname}/ in the browser`);
  });

  test('policies are checked first, attached after the socket exists and read back', async () => {
    standin.setPolicies(['lab-viewers']);
    await rpc.call('publications.add', { host: 'local', lab: LAB, node: 'n1', port: 8080, type: 'tls', provider: 'border0', access: ['nobody-knows'], accessKind: 'policies' });
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('failed');
    await expect(row('n1', 8080).getByTestId('tunnel-reason')).toContainText('unknown border0 policy: nobody-knows (policies in this organisation: lab-viewers)');
    expect(socketNamed(`clab-${LAB}-n1-tls-8080`)).toBeUndefined();
    await unpublish('n1', 8080);
    await rpc.call('publications.add', { host: 'local', lab: LAB, node: 'n1', port: 8080, type: 'tls', provider: 'border0', access: ['lab-viewers'], accessKind: 'policies' });
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('online');
    expect(socketNamed(`clab-${LAB}-n1-tls-8080`)!.policies.map((p) => p.name)).toEqual(['lab-viewers']);
    const create = standin.requests.find((r) => r.method === 'POST' && (r.body as { name?: string })?.name === `clab-${LAB}-n1-tls-8080`)!;
    expect(create.body).not.toHaveProperty('policy_names');
  });

  test('two labs with the same node name publish at once; a node named Core_R2.x gets a valid name', async () => {
    const lab2 = await startLab({ lab: LAB2, nodes: [{ name: 'n1', kind: 'linux' }, { name: 'Core_R2.x', kind: 'linux' }] });
    labs.push(lab2);
    await lab2.waitForPorts('n1', [7]);
    await lab2.waitForPorts('Core_R2.x', [7]);
    await page.getByTestId(`lab-${LAB2}`).click();
    await publish('n1', 7);
    await publish('Core_R2.x', 7);
    await expect(row('n1', 7, LAB2).getByTestId('tunnel-state')).toHaveText('online');
    await expect(row('Core_R2.x', 7, LAB2).getByTestId('tunnel-state')).toHaveText('online');
    await expect(row('n1', 7, LAB).getByTestId('tunnel-state')).toHaveText('online');
    expect(socketNamed(`clab-${LAB2}-n1-tcp-7`)).toBeDefined();
    expect(socketNamed(`clab-${LAB}-n1-tcp-7`)).toBeDefined();
    const odd = socketNamed(`clab-${LAB2}-core-r2-x-tcp-7`)!;
    expect(odd.name).toMatch(/^[a-z0-9-]+$/);
    await expect(row('Core_R2.x', 7, LAB2)).toContainText(odd.name);
    const payload = randomBytes(4096);
    expect((await echoThrough('127.0.0.1', localPortOf(odd.name), payload)).equals(payload)).toBe(true);
    await unpublish('n1', 7, LAB2);
    await unpublish('Core_R2.x', 7, LAB2);
    await page.getByTestId(`lab-${LAB}`).click();
  });

  test('topology files: a mysocketio-grammar lab and a border0-grammar lab deploy and go online, with commands that work per type', async () => {
    standin.setPolicies(['lab-viewers', 'engineers']);
    const files = {
      [MYSO]: `name: ${MYSO}\ntopology:\n  nodes:\n    r1:\n      kind: linux\n      publish:\n        - tcp/22/alice@example.com\n        - https/443/example.org\n`,
      [BZERO]: `name: ${BZERO}\ntopology:\n  nodes:\n    r1:\n      kind: linux\n      publish:\n        - ssh/22/engineers\n`,
    };
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dir, `${name}.clab.yml`);
      fs.writeFileSync(file, text);
      const lab = await startLab({ lab: name, topoFile: file, nodes: [{ name: 'r1', kind: 'linux' }] });
      labs.push(lab);
      await listenInside(`clab-${name}-r1`, [22, 443]);
      await lab.waitForPorts('r1', [22, 443]);
      // Entries with access lists need a provider that enforces them: the lab goes through border0.
      await page.getByTestId(`lab-${name}`).click();
      await page.getByTestId('topology-provider').selectOption('border0');
    }
    for (const [lab, port] of [[MYSO, 22], [MYSO, 443], [BZERO, 22]] as const) {
      await expect(row('r1', port, lab).getByTestId('tunnel-state')).toHaveText('online');
    }
    const myso22 = socketNamed(`clab-${MYSO}-r1-tls-22`)!;
    const myso443 = socketNamed(`clab-${MYSO}-r1-https-443`)!;
    const bz22 = socketNamed(`clab-${BZERO}-r1-ssh-22`)!;
    expect(myso22).toMatchObject({ socket_type: 'tls', cloud_authentication_enabled: true, cloud_authentication_email_allowed_addressses: ['alice@example.com'] });
    expect(myso443).toMatchObject({ socket_type: 'http', upstream_type: 'https', cloud_authentication_email_allowed_domains: ['example.org'] });
    expect(bz22).toMatchObject({ socket_type: 'ssh', upstream_type: 'ssh', cloud_authentication_enabled: true });
    expect(bz22.policies.map((p) => p.name)).toEqual(['engineers']);

    // SSH over the tls socket: the ProxyCommand line; over the ssh socket: border0's client, and why.
    expect(await copied(row('r1', 22, MYSO).getByTestId('tunnel-copy-proxycommand'))).toBe(`ssh -o ProxyCommand="border0 client tls --host %h" <user>@${myso22.dnsname}`);
    await expect(row('r1', 443, MYSO).getByTestId('tunnel-open')).toHaveAttribute('title', `Open https://${myso443.dnsname}/ in the browser`);
    expect(await copied(row('r1', 22, BZERO).getByTestId('tunnel-copy-border0-ssh'))).toBe(`border0 client ssh --host ${bz22.dnsname}`);
    await expect(row('r1', 22, BZERO).getByTestId('tunnel-border0-ssh-note')).toHaveText("border0 ends SSH: the node must trust border0's SSH CA");
    await expect(page.getByTestId('tunnel-copy-ssh')).toHaveCount(0);
    // The tunnels carry bytes to the nodes' ports.
    for (const s of [myso22, myso443, bz22]) {
      const payload = randomBytes(2048);
      expect((await echoThrough('127.0.0.1', s.tunnels[0].local_port, payload)).equals(payload)).toBe(true);
    }
    await page.getByTestId(`lab-${LAB}`).click();
  });

  test('429 backs off and says so; then the socket is made', async () => {
    await unpublish('n1', 8080);
    standin.failNext(429, { error_message: 'slow down' }, { 'Retry-After': '2' });
    await publish('n1', 8080);
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('reconnecting');
    await expect(row('n1', 8080).getByTestId('tunnel-reason')).toContainText('rate limiting');
    await expect(row('n1', 8080).getByTestId('tunnel-state')).toHaveText('online');
  });

  test('a configured proxy carries the API calls and the SSH dataplane; proxy down is a clear state', async () => {
    await unpublish('n1', 7);
    await page.getByTestId('open-providers').click();
    await page.getByTestId('border0-proxy').fill(`http://127.0.0.1:${proxy.port}`);
    await page.getByTestId('border0-save').click();
    await page.keyboard.press('Escape');
    const logFrom = fs.statSync(proxy.logFile).size;
    await publish('n1', 7);
    await expect(row('n1', 7).getByTestId('tunnel-state')).toHaveText('online');
    const seen = fs.readFileSync(proxy.logFile, 'utf8').slice(logFrom);
    expect(seen).toContain(`CONNECT 127.0.0.1:${tunnel.port}`);
    expect(seen).toContain(`CONNECT 127.0.0.1:${new URL(standin.url).port}`);
    const payload = randomBytes(32 * 1024);
    expect((await echoThrough('127.0.0.1', localPortOf(`clab-${LAB}-n1-tcp-7`), payload)).equals(payload)).toBe(true);

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
    expect((await echoThrough('127.0.0.1', localPortOf(`clab-${LAB}-n1-http-8080`), payload)).equals(payload)).toBe(true);
    // A new publication asks for a login instead of failing later.
    await unpublish('n1', 80);
    await page.getByTestId('port-n1-80').click();
    await page.getByTestId('publish-provider').selectOption('border0');
    await expect(page.getByTestId('publish-border0-login')).toBeVisible();
    await expect(page.getByTestId('publish-submit')).toBeDisabled();
    await page.keyboard.press('Escape');
  });
});

test.describe.serial('border0 behind proxies: the https API through HTTPS_PROXY (minus NO_PROXY), an https:// proxy with a password', () => {
  const LAB3 = `b0px${process.pid}`;
  const AUTH = { user: 'labuser', password: 'Pr0xy-s3cret' };
  let dir: string;
  let standin: Standin;
  let tunnel: TunnelSshd;
  let proxy: Tinyproxy;
  let locked: Tinyproxy;
  let front: TlsFront;
  let lab: TestLab;
  let trusted: string;
  let standinPort: number;

  test.beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-b0-proxy-e2e-'));
    const ca = await makeCa(dir);
    tunnel = await startTunnelSshd({ caPubKeyPath: ca.caPubPath, user: USER_ID.replace(/-/g, '') });
    standin = await startBorder0Standin({ https: true, caKeyPath: ca.caKeyPath, tunnelServer: { host: tunnel.host, port: tunnel.port }, hostKeyPub: tunnel.hostKeyPub, userId: USER_ID });
    standinPort = Number(new URL(standin.url).port);
    proxy = await startTinyproxy({ connectPorts: [tunnel.port, standinPort] });
    locked = await startTinyproxy({ connectPorts: [tunnel.port, standinPort], basicAuth: AUTH });
    front = await startTlsFront(locked.port);
    // The host trusts the stand-in's and the https proxy's throwaway certificates, as a company would its own CA.
    trusted = path.join(dir, 'trusted.pem');
    fs.writeFileSync(trusted, fs.readFileSync(standin.certPath!, 'utf8') + front.cert.cert);
    lab = await startLab({ lab: LAB3, nodes: [{ name: 'n1', kind: 'linux' }] });
    await lab.waitForPorts('n1', [7]);
  });

  test.afterAll(async () => {
    await Promise.all([lab?.remove(), tunnel?.stop(), proxy?.stop(), locked?.stop(), front?.close(), standin?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A host pointed at the https stand-in, logged in through BORDER0_AUTH_TOKEN, publishing n1:7. */
  async function publishThrough(browser: import('@playwright/test').Browser, env: NodeJS.ProcessEnv, configureProxy?: string): Promise<{ host: TestHost; page: Page }> {
    const host = await startHost({
      env: { BORDER0_API: standin.apiUrl, BORDER0_WEB_URL: standin.portalUrl, BORDER0_TUNNEL: `${tunnel.host}:${tunnel.port}`, BORDER0_AUTH_TOKEN: standin.issueToken(), NODE_EXTRA_CA_CERTS: trusted, HTTPS_PROXY: '', HTTP_PROXY: '', NO_PROXY: '', ...env },
    });
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.getByTestId('open-accounts').click();
    await page.getByTestId('border0-import-env').click();
    await expect(page.getByTestId('border0-user')).toHaveText(standin.email);
    await page.keyboard.press('Escape');
    if (configureProxy) {
      await page.getByTestId('open-providers').click();
      await page.getByTestId('border0-proxy').fill(configureProxy);
      await page.getByTestId('border0-save').click();
      await page.keyboard.press('Escape');
    }
    await page.getByTestId(`lab-${LAB3}`).click();
    await page.getByTestId('port-n1-7').click();
    await page.getByTestId('publish-provider').selectOption('border0');
    await page.getByTestId('publish-submit').click();
    await expect(rowOf(page, LAB3, 'n1', 7).getByTestId('tunnel-state')).toHaveText('online');
    return { host, page };
  }
  const connectsTo = (p: Tinyproxy, port: number, from: number) => fs.readFileSync(p.logFile, 'utf8').slice(from).includes(`CONNECT 127.0.0.1:${port}`);

  test('HTTPS_PROXY carries the API calls to the https API; NO_PROXY takes them off it', async ({ browser }) => {
    let from = fs.statSync(proxy.logFile).size;
    const viaEnv = await publishThrough(browser, { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` });
    expect(connectsTo(proxy, standinPort, from)).toBe(true);
    // The environment's proxy is for API calls only, as with the border0 CLI: the tunnel goes direct.
    expect(connectsTo(proxy, tunnel.port, from)).toBe(false);
    await viaEnv.page.close();
    await viaEnv.host.stop();

    from = fs.statSync(proxy.logFile).size;
    const bypassed = await publishThrough(browser, { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: 'localhost,127.0.0.1' });
    expect(connectsTo(proxy, standinPort, from)).toBe(false);
    await bypassed.page.close();
    await bypassed.host.stop();
  });

  test('an https:// proxy with a password carries API calls and the tunnel, the password only inside TLS', async ({ browser }) => {
    const from = fs.statSync(locked.logFile).size;
    const app = await publishThrough(browser, {}, `https://${AUTH.user}:${AUTH.password}@127.0.0.1:${front.port}`);
    try {
      expect(connectsTo(locked, standinPort, from)).toBe(true);
      expect(connectsTo(locked, tunnel.port, from)).toBe(true);
      const payload = randomBytes(16 * 1024);
      const socket = standin.sockets.find((s) => s.name === `clab-${LAB3}-n1-tcp-7`)!;
      expect((await echoThrough('127.0.0.1', socket.tunnels[0].local_port, payload)).equals(payload)).toBe(true);
      // The UI shows the proxy without its password.
      await app.page.getByTestId('open-providers').click();
      await expect(app.page.getByTestId('border0-proxy')).toHaveValue(`https://${AUTH.user}@127.0.0.1:${front.port}`);
    } finally {
      await app.page.close();
      await app.host.stop();
    }
  });
});
