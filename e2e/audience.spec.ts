import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { METHOD_NAMES } from '../shared/contract';
import { AudienceClient, fetchPage } from '../test-support/audience-client';
import { DEBIAN_IMAGE, makeClientKey, type SshClientKey } from '../test-support/debian-node';
import type { TestHost } from '../test-support/host-process';
import { startLab, TEST_IMAGE, type LabNodeSpec, type TestLab } from '../test-support/lab-containers';
import { RpcClient } from '../test-support/rpc-client';
import { startSshd, type TestSshd } from '../test-support/sshd';
import { closeApp, openApp, publishPort } from '../test-support/ui-steps';

// The audience's side end to end, every part real: a lab with a Debian node running OpenSSH
// and a busybox node without any sshd in the real dockerd, the headless host as a process,
// the owner's UI in Chromium, and each attendee in a browser context of their own that knows
// nothing but their personal link.
const LAB = `aud${process.pid}`;
const NODE_PASSWORD = `pw-${process.pid}-only-for-the-app`;
const SHOTS = path.join(__dirname, '..', 'test-results', 'audience');

/** Debian with sshd taking the root password the owner sets in the share (and the test's key, for the bench's direct ssh). */
function sshNode(name: string, publicKey: string): LabNodeSpec {
  const script = [
    'set -e',
    'ssh-keygen -A >/dev/null',
    'mkdir -p /run/sshd /root/.ssh',
    'printf "%s\\n" "$AUTHORIZED_KEY" > /root/.ssh/authorized_keys',
    'chmod 700 /root/.ssh && chmod 600 /root/.ssh/authorized_keys',
    'printf "root:%s\\n" "$ROOT_PASSWORD" | chpasswd',
    'exec /usr/sbin/sshd -D -e -o PasswordAuthentication=yes -o PermitRootLogin=yes',
  ].join('\n');
  return { name, kind: 'linux', cmd: ['/bin/sh', '-c', script], env: [`AUTHORIZED_KEY=${publicKey}`, `ROOT_PASSWORD=${NODE_PASSWORD}`] };
}

/** The visible text of an xterm (its DOM rows). */
const screenOf = (p: Page, testId: string) => p.getByTestId(testId).locator('.xterm-rows');

/** Types into a terminal the way a person does: focus it, then keys. */
async function typeIn(p: Page, testId: string, text: string): Promise<void> {
  await p.getByTestId(testId).locator('.xterm-screen').click();
  await p.keyboard.type(text);
  await p.keyboard.press('Enter');
}

/** A fresh browser context that has nothing but the link: no cookies, no token, no owner page. */
async function attendeePage(browser: Browser, link: string): Promise<{ ctx: BrowserContext; page: Page; violations: string[] }> {
  const ctx = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await ctx.newPage();
  const violations: string[] = [];
  // Every CSP violation the page causes is a bug: its policy allows nothing inline.
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => ((window as unknown as { __csp: string[] }).__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`)));
  page.on('console', (m) => m.type() === 'error' && violations.push(m.text()));
  await page.goto(link);
  return { ctx, page, violations };
}

const cspViolations = (p: Page) => p.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);

test.describe.serial('the audience: a share page per attendee, browser terminals, watch mode', () => {
  let debianLab: TestLab;
  let busyLab: TestLab;
  let key: SshClientKey;
  let relay: TestSshd;
  let host: TestHost;
  let owner: Page;
  let api: RpcClient;
  let adaLink: string;
  let ada: Awaited<ReturnType<typeof attendeePage>>;
  const shareView = () => owner.getByTestId('share-view');
  const audience = () => shareView().getByTestId('share-audience');
  const shareId = async () => (await api.call('shares.list', {})).find((s) => s.lab === LAB && s.state !== 'revoked')!.id;

  test.beforeAll(async ({ browser }) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    key = makeClientKey();
    const network = `clab-publisher-test-${LAB}`;
    // One lab, two images: a Debian node with sshd, a busybox node with no sshd at all.
    relay = await startSshd();
    // In turn: the first creates the lab's network, the second joins it.
    debianLab = await startLab({ lab: LAB, image: DEBIAN_IMAGE, network, nodes: [sshNode('r1', key.publicKey)] });
    busyLab = await startLab({ lab: LAB, image: TEST_IMAGE, network, nodes: [{ name: 'b1', kind: 'linux' }] });
    await debianLab.waitForPorts('r1', [22]);
    ({ host, page: owner } = await openApp(browser));
    api = await RpcClient.open(host);
  });

  test.afterAll(async () => {
    api?.close();
    await ada?.ctx.close();
    await closeApp({ host, page: owner });
    await busyLab?.remove();
    await debianLab?.remove();
    await relay?.stop();
    key?.remove();
  });

  test('the owner shares the lab, opens terminals for the audience and adds an attendee: the link is shown once', async () => {
    await owner.getByTestId(`lab-${LAB}`).click();
    await publishPort(owner, 'r1', 22);
    await expect(owner.getByTestId('tunnel-r1-22').getByTestId('tunnel-state')).toHaveText('online');
    await owner.getByTestId('share-lab').click();
    await owner.getByTestId('share-dialog').getByTestId('share-title').fill('Routing class');
    await owner.getByTestId('share-dialog').getByTestId('share-submit').click();
    await expect(shareView().getByTestId('share-state')).toHaveText('open');
    // The node's login for the app's own SSH terminal (the password stays in the core).
    await shareView().locator('.share-logins > summary').click();
    const login = shareView().getByTestId('share-login-r1');
    await login.getByLabel('User on r1').fill('root');
    await login.getByLabel('Password on r1').fill(NODE_PASSWORD);
    await login.getByRole('button', { name: 'Save' }).click();
    await audience().getByTestId('audience-terminal-r1').selectOption('ssh');
    await audience().getByTestId('audience-terminal-b1').selectOption('engine');
    await audience().getByTestId('attendee-name').fill('Ada');
    await audience().getByTestId('attendee-add').click();
    const issued = audience().getByTestId('issued-link');
    await expect(issued.getByTestId('issued-link-url')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/p\/[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    adaLink = (await issued.getByTestId('issued-link-url').innerText()).trim();
    await expect(issued.getByTestId('issued-link-qr')).toHaveAttribute('data-text', adaLink);
    await expect(audience().getByTestId('audience-page')).toHaveAttribute('data-state', 'online');
    await owner.screenshot({ path: path.join(SHOTS, 'owner-audience.png'), fullPage: true });
    await issued.getByTestId('issued-link-done').click();
    await expect(audience().getByTestId('issued-link')).toHaveCount(0);
    // Never listed again in clear: not in the owner's view, not in what the API returns.
    await expect(owner.locator('body')).not.toContainText(adaLink.split('/p/')[1]);
    const secret = adaLink.split('.').pop()!;
    expect(JSON.stringify(await api.call('shares.audience', { id: await shareId() }))).not.toContain(secret);
    expect(JSON.stringify(await api.call('shares.list', {}))).not.toContain(secret);
    expect(fs.readFileSync(path.join(host.dataDir, 'settings.json'), 'utf8')).not.toContain(secret);
    expect(host.output.join('\n')).not.toContain(secret);
    await expect(audience().getByTestId('attendee-Ada').getByTestId('attendee-state')).toHaveText('never opened');
  });

  test('Ada, with nothing but her link, sees the share: nodes, live states, commands, ssh_config, a QR code of her link', async ({ browser }) => {
    ada = await attendeePage(browser, adaLink);
    const p = ada.page;
    await expect(p.getByTestId('page-title')).toHaveText('Routing class');
    await expect(p.getByTestId('page-node-r1').getByTestId('page-node-state')).toHaveText('online');
    await expect(p.getByTestId('page-node-b1').getByTestId('page-node-state')).toHaveText('online');
    const ep = (await api.call('tunnels.list', {})).find((t) => t.lab === LAB && t.node === 'r1')!.endpoint!;
    await expect(p.getByTestId('page-port-r1-22').getByTestId('page-command')).toHaveText(`ssh -p ${ep.port} root@127.0.0.1`);
    await expect(p.getByTestId('page-ssh-config')).toContainText(`Host ${LAB}-r1`);
    await expect(p.getByTestId('page-until')).toHaveText(/expires in (3 h 59 min|4 h 0 min)/);
    await expect(p.getByTestId('page-self-link').locator('.qr')).toHaveAttribute('data-text', adaLink);
    // The owner sees her arrive.
    await expect(audience().getByTestId('attendee-Ada').getByTestId('attendee-state')).toHaveText(/active now/);
    // The page never got the node's password.
    expect(await p.content()).not.toContain(NODE_PASSWORD);
    await p.screenshot({ path: path.join(SHOTS, 'attendee-page.png'), fullPage: true });
    expect(await cspViolations(p)).toEqual([]);
  });

  test('the page degrades to plain HTML without JavaScript: the commands are there', async ({ browser }) => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const p = await ctx.newPage();
    await p.goto(adaLink);
    await expect(p.getByTestId('page-port-r1-22').getByTestId('page-command')).toContainText('ssh -p');
    await expect(p.getByTestId('page-ssh-config')).toContainText(`Host ${LAB}-r1`);
    await expect(p.getByTestId('page-open-terminal-r1')).toBeHidden();
    await ctx.close();
  });

  test('a terminal to the Debian node over SSH: runs a command, 256 colours, resize, copy and paste', async () => {
    const p = ada.page;
    await p.getByTestId('page-open-terminal-r1').click();
    const term = p.getByTestId('terminal-r1');
    await expect(term.getByTestId('term-status')).toHaveText('connected');
    await typeIn(p, 'terminal-r1', 'hostname; echo through-the-page-$((6*7))');
    await expect(screenOf(p, 'terminal-r1')).toContainText('through-the-page-42');
    await expect(screenOf(p, 'terminal-r1')).toContainText('r1');
    // 256 colours: colour 196 reaches xterm as such.
    await typeIn(p, 'terminal-r1', "printf '\\033[38;5;196mRED196\\033[0m\\n'");
    await expect(term.locator('.xterm-fg-196', { hasText: 'RED196' })).toBeVisible();
    // Resize: the node's pty follows the panel.
    await p.setViewportSize({ width: 1280, height: 900 });
    await typeIn(p, 'terminal-r1', 'echo size=$(stty size | tr " " x)');
    const before = (await screenOf(p, 'terminal-r1').innerText()).match(/size=(\d+)x(\d+)/)?.slice(1);
    await p.setViewportSize({ width: 800, height: 900 });
    await typeIn(p, 'terminal-r1', 'clear; echo size2=$(stty size | tr " " x)');
    await expect(screenOf(p, 'terminal-r1')).toContainText(/size2=\d+x\d+/);
    const after = (await screenOf(p, 'terminal-r1').innerText()).match(/size2=(\d+)x(\d+)/)!.slice(1);
    expect(Number(after[1])).toBeLessThan(Number(before?.[1] ?? 1e9));
    // Paste: the clipboard's text goes in as typed; copy: the screen comes out.
    await p.evaluate(() => navigator.clipboard.writeText('echo pasted-$((3*3))\n'));
    await term.getByTestId('term-paste').click();
    await expect(screenOf(p, 'terminal-r1')).toContainText('pasted-9');
    await term.getByTestId('term-copy').click();
    await expect.poll(() => p.evaluate(() => navigator.clipboard.readText())).toContain('pasted-9');
    await p.screenshot({ path: path.join(SHOTS, 'attendee-terminal.png'), fullPage: true });
    expect(await cspViolations(p)).toEqual([]);
  });

  test('reconnects after a network blip to the same session: what it printed meanwhile is on the screen', async () => {
    const p = ada.page;
    await typeIn(p, 'terminal-r1', 'clear; (sleep 2; echo printed-while-away) &');
    // The browser goes offline: its WebSocket drops; the session waits at the app.
    await ada.ctx.setOffline(true);
    await expect(p.getByTestId('page-connection')).toContainText('reconnecting');
    await expect(p.getByTestId('terminal-r1').getByTestId('term-status')).toContainText('reconnecting');
    await new Promise((r) => setTimeout(r, 2500)); // the node prints while the page is offline (wall-clock is the point)
    await ada.ctx.setOffline(false);
    await expect(p.getByTestId('terminal-r1').getByTestId('term-status')).toHaveText('connected', { timeout: 20_000 });
    await expect(screenOf(p, 'terminal-r1')).toContainText('printed-while-away');
    await typeIn(p, 'terminal-r1', 'echo still-the-same-shell-$$');
    await expect(screenOf(p, 'terminal-r1')).toContainText('still-the-same-shell-');
  });

  test('a container-engine shell on the busybox node, which has no sshd', async () => {
    const p = ada.page;
    await p.getByTestId('page-open-terminal-b1').click();
    await expect(p.getByTestId('terminal-b1').getByTestId('term-status')).toHaveText('connected');
    await typeIn(p, 'terminal-b1', 'echo engine-$((2+3)); ls /usr/sbin/sshd 2>&1 | head -1');
    await expect(screenOf(p, 'terminal-b1')).toContainText('engine-5');
    await expect(screenOf(p, 'terminal-b1')).toContainText(/No such file|can't access/);
  });

  test('the page can never reach an owner method: every contract method name on its WebSocket and its HTTP paths', async () => {
    const origin = new URL(adaLink).origin;
    const c = await AudienceClient.connect(adaLink);
    const answers = () => c.messages.filter((m) => m.t === 'error' || m.t === 'pong');
    for (const method of METHOD_NAMES) {
      const from = answers().length;
      c.send({ jsonrpc: '2.0', id: 1, method, params: {} });
      c.send({ t: method, method, params: {} });
      c.send({ t: 'ping' });
      await c.next(() => answers().length >= from + 3, `the answers to ${method}`);
      expect(answers().slice(from)).toEqual([
        { t: 'error', message: 'not a message this page understands' },
        { t: 'error', message: 'not a message this page understands' },
        { t: 'pong' },
      ]);
      for (const p of [`/${method}`, `/api/${method}`, `/rpc/${method}`, `/p/${method}`]) expect((await fetchPage(`${origin}${p}`)).status, p).toBe(404);
    }
    // The owner's API path does not exist there, as HTTP or as a WebSocket, with or without the owner's token.
    expect((await fetchPage(`${origin}/api?token=${host.token}`)).status).toBe(404);
    await expect(AudienceClient.connect(`${origin}/api?token=${host.token}`)).rejects.toThrow();
    // From inside the page too: its own origin has nothing of the owner's.
    const fromPage = await ada.page.evaluate(async (token) => {
      const r = await fetch(`/api?token=${token}`);
      const ws = await new Promise<string>((resolve) => {
        const s = new WebSocket(`${location.origin.replace('http', 'ws')}/api?token=${token}`);
        s.onopen = () => resolve('open');
        s.onerror = () => resolve('refused');
      });
      return { status: r.status, ws };
    }, host.token);
    expect(fromPage).toEqual({ status: 404, ws: 'refused' });
    c.close();
  });

  test('a forged or missing secret gets a plain "not valid" page', async ({ browser }) => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    const forged = adaLink.slice(0, -6) + 'AAAAAA';
    const r = await p.goto(forged);
    expect(r?.status()).toBe(404);
    await expect(p.getByTestId('page-message')).toContainText('Check that the whole link was copied');
    await expect(p.locator('body')).not.toContainText('Routing class');
    const missing = await p.goto(`${new URL(adaLink).origin}/p/`);
    expect(missing?.status()).toBe(404);
    await ctx.close();
  });

  test('revoking Ada ends her page and her terminals within a second; her link then says the share has ended', async () => {
    const p = ada.page;
    const before = (await api.call('shares.audience', { id: await shareId() })).attendees.find((a) => a.name === 'Ada')!;
    expect(before.sessions).toBe(2);
    await audience().getByTestId('attendee-Ada').getByTestId('attendee-revoke').click();
    const clicked = Date.now();
    await audience().getByTestId('attendee-Ada').getByTestId('attendee-revoke').click(); // the inline confirmation
    await expect(p.getByTestId('page-ended')).toContainText('revoked', { timeout: 3000 });
    const ended = Date.now();
    expect(ended - clicked).toBeLessThan(1500); // includes the click's round trip and the page's redraw
    await expect(p.getByTestId('terminal-r1')).toHaveCount(0);
    const sessions = await api.waitFor('shares.audienceChanged', async () => [await api.call('shares.audience', { id: await shareId() })], (all) => all[0]?.attendees.find((a) => a.name === 'Ada')?.sessions === 0 || undefined, 'Ada\'s sessions gone');
    expect(sessions).toBe(true);
    const again = await p.goto(adaLink);
    expect(again?.status()).toBe(410);
    await expect(p.locator('h1')).toHaveText('This share has ended');
    await ada.ctx.close();
  });

  test('an expired link: the share expires, the open page ends, the link gets "this share has ended"', async ({ browser }) => {
    const id = await shareId();
    const bob = await api.call('shares.addAttendee', { id, name: 'Bob' });
    const b = await attendeePage(browser, bob.link!);
    await expect(b.page.getByTestId('page-title')).toHaveText('Routing class');
    await api.call('shares.extend', { id, until: Date.now() + 3000 });
    await expect(b.page.getByTestId('page-ended')).toContainText('expired', { timeout: 10_000 });
    const r = await b.page.goto(bob.link!);
    expect(r?.status()).toBe(410);
    await b.page.screenshot({ path: path.join(SHOTS, 'attendee-ended.png') });
    await b.ctx.close();
    await api.call('shares.extend', { id, until: '1h' });
  });

  test('through the SSH relay: the page and its terminal reach the node', async ({ browser }) => {
    const id = await shareId();
    await api.call('shares.remove', { id, unpublish: true });
    await api.call('providers.configure', { id: 'ssh', host: relay.host, port: relay.port, user: relay.user, keyFile: relay.clientKeyPath });
    await api.call('providers.trustHostKey', { id: 'ssh', fingerprint: relay.hostKeyFingerprint });
    const pub = await api.call('publications.add', { lab: LAB, node: 'r1', port: 22, type: 'ssh', provider: 'ssh' });
    await api.tunnel(pub.id, (t) => t.state === 'online', 'online on the relay');
    const share = await api.call('shares.create', { lab: LAB, title: 'Relay class' });
    await api.call('shares.setCredentials', { id: share.id, node: 'r1', user: 'root', password: NODE_PASSWORD });
    await api.call('shares.setAudience', { id: share.id, terminals: [{ node: 'r1', via: 'ssh' }] });
    const carol = await api.call('shares.addAttendee', { id: share.id, name: 'Carol' });
    const relayed = (await api.call('shares.list', {})).find((s) => s.id === share.id)!.link!;
    expect(carol.link).toBe(`${relayed}${carol.path}`);
    // The page's public port is the relay's forward, not the app's own listener.
    const tunnels = await api.call('tunnels.list', {});
    expect(tunnels.some((t) => t.endpoint?.port === Number(new URL(relayed).port))).toBe(false);
    const c = await attendeePage(browser, carol.link!);
    await expect(c.page.getByTestId('page-title')).toHaveText('Relay class');
    await c.page.getByTestId('page-open-terminal-r1').click();
    await expect(c.page.getByTestId('terminal-r1').getByTestId('term-status')).toHaveText('connected');
    await typeIn(c.page, 'terminal-r1', 'echo via-the-relay-$((40+2))');
    await expect(screenOf(c.page, 'terminal-r1')).toContainText('via-the-relay-42');
    // The audit names Carol for the page and the terminal.
    const audit = await api.call('shares.audit', { id: share.id });
    expect(audit.records.filter((r) => r.attendee === 'Carol').map((r) => r.kind).sort()).toEqual(['page', 'terminal']);
    await c.ctx.close();
  });
});
