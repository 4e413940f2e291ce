import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { METHOD_NAMES } from '../shared/contract';
import { AudienceClient, fetchPage } from '../test-support/audience-client';
import { cutConnectionsTo } from '../test-support/cut-connections';
import { DEBIAN_IMAGE, debianSshNode, makeClientKey, type SshClientKey } from '../test-support/debian-node';
import type { TestHost } from '../test-support/host-process';
import { startLab, TEST_IMAGE, type TestLab } from '../test-support/lab-containers';
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
  let bob: Awaited<ReturnType<typeof attendeePage>>;
  let bobLink: string;
  let ownerTerminal: string;
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
    debianLab = await startLab({ lab: LAB, image: DEBIAN_IMAGE, network, nodes: [debianSshNode('r1', key.publicKey, 'linux', { rootPassword: NODE_PASSWORD })] });
    busyLab = await startLab({ lab: LAB, image: TEST_IMAGE, network, nodes: [{ name: 'b1', kind: 'linux' }] });
    await debianLab.waitForPorts('r1', [22]);
    ({ host, page: owner } = await openApp(browser));
    api = await RpcClient.open(host);
  });

  test.afterAll(async () => {
    api?.close();
    await ada?.ctx.close().catch(() => undefined);
    await bob?.ctx.close().catch(() => undefined);
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
    const red = term.locator('.xterm-fg-196', { hasText: 'RED196' });
    await expect(red).toBeVisible();
    // Painted in palette colour 196 (#ff0000), under a policy that allows no inline style.
    await expect(red).toHaveCSS('color', 'rgb(255, 0, 0)');
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
    await p.evaluate(() => navigator.clipboard.writeText('echo pasted-$((3*3))'));
    await term.getByTestId('term-paste').click();
    await expect(screenOf(p, 'terminal-r1')).toContainText('echo pasted-$((3*3))');
    // A paste is not a command until Enter (bash takes it as a bracketed paste).
    await p.keyboard.press('Enter');
    await expect(screenOf(p, 'terminal-r1')).toContainText('pasted-9');
    await term.getByTestId('term-copy').click();
    await expect.poll(() => p.evaluate(() => navigator.clipboard.readText())).toContain('pasted-9');
    await p.screenshot({ path: path.join(SHOTS, 'attendee-terminal.png'), fullPage: true });
    expect(await cspViolations(p)).toEqual([]);
  });

  test('reconnects after a network blip to the same session: what it printed meanwhile is on the screen', async () => {
    const p = ada.page;
    const term = p.getByTestId('terminal-r1');
    await typeIn(p, 'terminal-r1', 'clear; for i in 1 2 3 4 5 6 7 8; do echo tick-$i; sleep 0.25; done; echo ticks-done');
    await expect(screenOf(p, 'terminal-r1')).toContainText('tick-2');
    // The network drops: the kernel resets the page's connections (as a lost Wi-Fi does). The
    // shell goes on printing at the app; the page comes back to the same session.
    expect(await cutConnectionsTo(Number(new URL(adaLink).port))).toContain('ESTAB');
    await expect(term).toHaveAttribute('data-reattached', '1');
    await expect(term.getByTestId('term-status')).toHaveText('connected');
    await expect(screenOf(p, 'terminal-r1')).toContainText('ticks-done');
    // Nothing printed while it was away is missing: the screen was redrawn from the session's backlog.
    const screen = await screenOf(p, 'terminal-r1').innerText();
    for (let i = 1; i <= 8; i++) expect(screen).toContain(`tick-${i}`);
    await typeIn(p, 'terminal-r1', 'echo still-the-same-shell');
    await expect(screenOf(p, 'terminal-r1')).toContainText('still-the-same-shell');
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
      for (const p of [`/${method}`, `/api/${method}`, `/rpc/${method}`]) expect((await fetchPage(`${origin}${p}`)).status, p).toBe(404);
      // Under /p/ a method name is taken for a link that is not valid, and counted as a failed
      // secret: from an address of its own, so the limit it reaches stays there.
      const asLink = await fetchPage(`${origin}/p/${method}`, { localAddress: '127.0.0.3' });
      expect([404, 429], `/p/${method}`).toContain(asLink.status);
      expect(asLink.body).not.toContain('Routing class');
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

  test('a forged or missing secret gets a plain "not valid" page; an address that keeps guessing gets 429', async ({ browser }) => {
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
    // Someone guessing links: after 10 failures within a minute their address gets a plain 429
    // page that says when to try again, even for a valid link; other addresses are unaffected.
    const guesser = { localAddress: '127.0.0.4' };
    for (let i = 0; i < 10; i++) expect((await fetchPage(`${adaLink.slice(0, -6)}guess${i}`, guesser)).status).toBe(404);
    const limited = await fetchPage(forged, guesser);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toContain('Too many links that are not valid came from your address');
    expect((await fetchPage(adaLink, guesser)).status).toBe(429);
    expect((await fetchPage(adaLink)).status).toBe(200);
  });

  test('watch mode: the owner\'s terminal, read-only, seen live by Ada and by a second attendee', async ({ browser }) => {
    const id = await shareId();
    // The owner's own terminal on r1 (its login from the share), shown to the share's audience.
    const mine = await api.call('terminals.open', { lab: LAB, node: 'r1', via: 'ssh', login: { shareId: id }, cols: 90, rows: 24 });
    await api.call('terminals.setBroadcast', { id: mine.id, shareId: id });
    const bobIssued = await api.call('shares.addAttendee', { id, name: 'Bob' });
    bob = await attendeePage(browser, bobIssued.link!);
    bobLink = bobIssued.link!;
    for (const p of [ada.page, bob.page]) {
      await expect(p.getByTestId('page-watch-offer')).toContainText('r1');
      await p.getByTestId('page-watch').click();
      await expect(p.getByTestId('watch').getByTestId('term-status')).toHaveText('watching r1');
    }
    await api.call('terminals.write', { id: mine.id, data: 'echo live-demo-$((7*6))\r' });
    // Each in front in turn, as a person looks at their own screen (a page in the background draws nothing).
    for (const p of [ada.page, bob.page]) {
      await p.bringToFront();
      await p.getByTestId('watch').scrollIntoViewIfNeeded(); // xterm draws only what is in view
      await expect(screenOf(p, 'watch')).toContainText('live-demo-42');
    }
    await expect.poll(async () => (await api.call('terminals.list', {})).find((t) => t.id === mine.id)?.spectators).toBe(2);
    // A spectator's keys go nowhere: the view takes no input and the app has no way to write.
    await bob.page.getByTestId('watch').locator('.xterm-screen').click();
    await bob.page.keyboard.type('echo from-a-spectator');
    await bob.page.keyboard.press('Enter');
    await api.call('terminals.write', { id: mine.id, data: 'echo after-the-spectator\r' });
    await expect(screenOf(bob.page, 'watch')).toContainText('after-the-spectator');
    expect((await api.call('terminals.screen', { id: mine.id })).data).not.toContain('from-a-spectator');
    await bob.page.screenshot({ path: path.join(SHOTS, 'attendee-watch.png'), fullPage: true });
    ownerTerminal = mine.id;
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
    // Bob, who watches too, is not touched; the owner's terminal counts one spectator less.
    await expect(bob.page.getByTestId('watch').getByTestId('term-status')).toHaveText('watching r1');
    await expect.poll(async () => (await api.call('terminals.list', {})).find((t) => t.id === ownerTerminal)?.spectators).toBe(1);
    const again = await p.goto(adaLink);
    expect(again?.status()).toBe(410);
    await expect(p.locator('h1')).toHaveText('This share has ended');
    await ada.ctx.close();
  });

  test('an expired link: the share expires, Bob\'s page and the live demo end, his link gets "this share has ended"', async () => {
    const id = await shareId();
    const { expiresAt } = await api.call('shares.extend', { id, until: Date.now() + 3000 });
    await expect(bob.page.getByTestId('page-ended')).toContainText('expired', { timeout: 10_000 });
    expect(Date.now() - expiresAt!).toBeLessThan(1500);
    await expect(bob.page.getByTestId('watch')).toHaveCount(0);
    // The owner's own terminal goes on; it is just no longer shown to anyone.
    const mine = (await api.call('terminals.list', {})).find((t) => t.id === ownerTerminal)!;
    expect(mine).toMatchObject({ broadcast: false, spectators: 0 });
    const r = await bob.page.goto(bobLink);
    expect(r?.status()).toBe(410);
    await bob.page.screenshot({ path: path.join(SHOTS, 'attendee-ended.png') });
    await bob.ctx.close();
    await api.call('terminals.close', { id: ownerTerminal });
    await api.call('shares.extend', { id, until: '1h' });
  });

  test('through the SSH relay: the page and its terminal reach the node', async ({ browser }) => {
    const id = await shareId();
    await api.call('shares.remove', { id, unpublish: true });
    await api.call('providers.configure', { id: 'ssh', host: relay.host, port: relay.port, user: relay.user, keyFile: relay.clientKeyPath });
    const pub = await api.call('publications.add', { lab: LAB, node: 'r1', port: 22, type: 'ssh', provider: 'ssh' });
    const asking = await api.waitFor('providers.changed', () => api.call('providers.list', {}), (ps) => ps.find((p) => p.id === 'ssh' && p.hostKey?.state === 'unknown'), 'the relay host key to confirm');
    expect(asking.hostKey!.fingerprint).toBe(relay.hostKeyFingerprint);
    await api.call('providers.trustHostKey', { id: 'ssh', fingerprint: relay.hostKeyFingerprint });
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
