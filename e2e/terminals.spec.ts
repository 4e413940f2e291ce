import { expect, test, type Page } from '@playwright/test';
import { DEBIAN_IMAGE, debianSshNode, makeClientKey, renewHostKeys, type SshClientKey } from '../test-support/debian-node';
import type { TestHost } from '../test-support/host-process';
import { startLab, type TestLab } from '../test-support/lab-containers';
import { closeApp, openApp } from '../test-support/ui-steps';

// The owner's terminals end to end, every part real: a Debian node running OpenSSH's sshd
// (password login, host keys made at start), a busybox node without sshd reached through the
// container engine, the headless host as a process, xterm.js in Chromium.
const LAB = `trm${process.pid}`;
const BB_LAB = `trmbb${process.pid}`;
const PASSWORD = 'owner-typed-7q2w';

test.describe.serial('the owner\'s terminals: SSH and engine shells from the UI, kill, recordings', () => {
  let lab: TestLab;
  let bbLab: TestLab;
  let host: TestHost;
  let page: Page;
  let key: SshClientKey;
  /** What the browser refused under the UI's CSP while terminals were drawn (xterm.js styles). */
  const cspViolations: string[] = [];

  const shown = () => page.getByTestId('owner-terminal').filter({ visible: true });
  /** The visible terminal's text; xterm.js draws only what is on screen, so it is scrolled there. */
  const screen = () => shown().getByTestId('owner-terminal-screen').locator('.xterm-rows');
  const inView = () => shown().scrollIntoViewIfNeeded();
  const form = () => page.getByTestId('open-terminal-form');
  /** Types a line into the visible terminal the way a user does: focus it, keys, Enter. */
  const typeLine = async (line: string) => {
    await shown().getByTestId('owner-terminal-screen').click();
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  };

  test.beforeAll(async ({ browser }) => {
    // The key is not used here (the owner types a password); the fixture authorises one anyway.
    key = makeClientKey();
    [lab, bbLab] = await Promise.all([startLab({ lab: LAB, image: DEBIAN_IMAGE, nodes: [debianSshNode('deb1', key.publicKey, 'linux', { rootPassword: PASSWORD })] }), startLab({ lab: BB_LAB, nodes: [{ name: 'bb1' }] })]);
    await lab.waitForPorts('deb1', [22], 30_000);
    ({ host, page } = await openApp(browser));
    page.on('console', (m) => void (/Content Security Policy/.test(m.text()) && cspViolations.push(m.text())));
  });

  test.afterAll(async () => {
    await closeApp({ host, page });
    await Promise.all([lab?.remove(), bbLab?.remove()]);
    key?.remove();
  });

  test('opens an SSH terminal on a Debian node with a password typed for the session, runs a command and reads its output', async () => {
    await form().getByTestId('terminal-node').selectOption(`local/${LAB}/deb1`);
    // sshd listens on 22: SSH is the default way in.
    await expect(form().getByTestId('terminal-via-ssh')).toBeChecked();
    await form().getByTestId('terminal-password').fill(PASSWORD);
    await form().getByTestId('terminal-record').check();
    await form().getByTestId('terminal-open').click();
    await expect(shown()).toContainText(`deb1 (lab ${LAB}) · SSH`);
    await inView();
    await expect(screen()).toContainText('root@deb1');
    await typeLine('echo "ssh-$((6*7)) $TERM"');
    await expect(screen()).toContainText('ssh-42 xterm-256color');
    // The password was for that login only: the form forgot it, the page shows it nowhere.
    await expect(form().getByTestId('terminal-password')).toHaveValue('');
    expect(await page.content()).not.toContain(PASSWORD);
    const row = page.getByTestId('sessions-table').getByTestId('session-deb1');
    await expect(row).toContainText('you');
    await expect(row).toContainText('deb1 (ssh)');
    await expect(row).toContainText('● rec');
  });

  test('opens the container engine\'s shell on a busybox node without sshd', async () => {
    await form().getByTestId('terminal-node').selectOption(`local/${BB_LAB}/bb1`);
    // No sshd listening there: the engine is the default.
    await expect(form().getByTestId('terminal-via-engine')).toBeChecked();
    await form().getByTestId('terminal-open').click();
    await expect(shown()).toContainText(`bb1 (lab ${BB_LAB}) · engine shell`);
    await inView();
    await expect(screen()).toContainText('/ #');
    await typeLine('echo engine-$((7*6)); stty size');
    // Rows as lines (textContent runs them together): the answer of stty is on the next one.
    const sizeLine = /engine-42\n(\d+) (\d+)/;
    await expect.poll(() => screen().innerText()).toMatch(sizeLine);
    // The terminal told the node its real size (fit to its box), not the 100x30 it opened at.
    const [, rows, cols] = sizeLine.exec(await screen().innerText())!;
    await expect(shown()).toContainText(`${cols}×${rows}`);
    expect(`${cols}x${rows}`).not.toBe('100x30');
    const sessions = page.getByTestId('sessions-table');
    await expect(sessions.getByTestId('session-bb1')).toContainText('bb1 (engine)');
  });

  test('kills a session from the sessions table: it leaves the table and the terminal says how it ended', async () => {
    const sessions = page.getByTestId('sessions-table');
    await sessions.getByTestId('session-kill-bb1').click();
    await expect(sessions.getByTestId('session-bb1')).toHaveCount(0);
    await expect(shown().getByTestId('terminal-ended')).toHaveText('ended: ended by the owner');
    await inView();
    await expect(screen()).toContainText('[session ended: ended by the owner]');
    // The other session goes on.
    await expect(sessions.getByTestId('session-deb1')).toHaveCount(1);
  });

  test('after a reload the owner\'s session is still open and shows its screen again', async () => {
    await page.reload();
    const row = page.getByTestId('sessions-table').getByTestId('session-deb1');
    await row.getByTestId('session-show-deb1').click();
    await inView();
    // Drawn from the session's backlog in the core: what the command printed before the reload.
    await expect(screen()).toContainText('ssh-42 xterm-256color');
    await typeLine('echo again-$((40+2))');
    await expect(screen()).toContainText('again-42');
    await expect(row.getByTestId('session-show-deb1')).toHaveCount(0);
  });

  test('the recorded SSH session is listed once closed and plays back the command\'s output', async () => {
    await shown().getByTestId('terminal-close').click();
    await expect(page.getByTestId('sessions-table').getByTestId('session-deb1')).toHaveCount(0);
    const rec = page.getByTestId('recordings-table').getByTestId('recording-deb1');
    await expect(rec).toContainText('you');
    await expect(rec.getByTestId('recording-length-deb1')).toHaveText(/^\d+\.\d s$/); // complete: no "recording"
    await rec.getByTestId('recording-play-deb1').click();
    const player = page.getByTestId('player');
    await player.scrollIntoViewIfNeeded();
    await expect(player.getByTestId('player-screen').locator('.xterm-rows')).toContainText('ssh-42 xterm-256color');
    // Played to its end with its timing: the position reaches the length.
    await expect(player.getByTestId('player-toggle')).toHaveText('Play');
    const [pos, total] = (await player.getByTestId('player-position').innerText()).split(' / ');
    expect(pos).toBe(total);
    // Terminals and the player drew with the UI's strict CSP (no 'unsafe-inline') untouched.
    expect(cspViolations).toEqual([]);
  });

  test('a node whose SSH host key changed is refused with the reason; forgetting the recorded key lets the next terminal in', async () => {
    await renewHostKeys(lab.containers[0].id);
    await form().getByTestId('terminal-node').selectOption(`local/${LAB}/deb1`);
    await form().getByTestId('terminal-password').fill(PASSWORD);
    await form().getByTestId('terminal-record').uncheck();
    const refused = form().getByTestId('terminal-open-error');
    // A connection racing the key files being rewritten may be reset: try again until refused for the key.
    await expect(async () => {
      await form().getByTestId('terminal-open').click();
      await expect(refused).toContainText(`the SSH host key of node deb1 (lab ${LAB}) changed: it presented SHA256:`, { timeout: 3000 });
    }).toPass({ timeout: 20_000 });
    await expect(refused).toContainText('the owner forgets the recorded key in the Terminals view');
    await form().getByTestId('terminal-forget-hostkey').click();
    await expect(form().getByTestId('terminal-open-error')).toHaveCount(0);
    await form().getByTestId('terminal-password').fill(PASSWORD);
    await form().getByTestId('terminal-open').click();
    await expect(shown()).toContainText(`deb1 (lab ${LAB}) · SSH`);
    await inView();
    await expect(screen()).toContainText('root@deb1');
  });
});
