import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import type { TestHost } from '../test-support/host-process';
import { startLab, type TestLab } from '../test-support/lab-containers';
import { startSshd, type TestSshd } from '../test-support/sshd';
import { closeApp, configureSshRelay, endpointOf, openApp } from '../test-support/ui-steps';
import { udpClient } from '../test-support/udp-echo';
import { DEBIAN_IMAGE, execIn, stopSnmpd, SYS_DESCR, SYSLOG_FILE, UDP_ECHO_PORT, udpServicesNode } from '../test-support/udp-node';

const run = promisify(execFile);

// UDP end to end, every part real: a Debian lab node running snmpd, rsyslog (imudp) and a UDP
// echo in the real dockerd, the headless host as a process, the UI in Chromium, Debian's own
// snmpget and logger as the clients outside, an OpenSSH sshd as relay.
const LAB = `udp${process.pid}`;

test.describe.serial('UDP ports: see them, publish them, poll SNMP and send syslog through the tunnels', () => {
  let lab: TestLab;
  let relay: TestSshd;
  let host: TestHost;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    [lab, relay] = await Promise.all([startLab({ lab: LAB, image: DEBIAN_IMAGE, nodes: [udpServicesNode('agent', 'nokia_srlinux')] }), startSshd()]);
    ({ host, page } = await openApp(browser));
  });

  test.afterAll(async () => {
    await closeApp({ host, page });
    await Promise.all([lab?.remove(), relay?.stop()]);
  });

  const udpRow = (port: number) => page.getByTestId(`tunnel-agent-udp-${port}`);
  const publishUdp = async (port: number, provider?: string) => {
    await page.getByTestId(`port-agent-udp-${port}`).click();
    await expect(page.getByTestId('publish-type')).toHaveValue('udp');
    if (provider) await page.getByTestId('publish-provider').selectOption(provider);
    await page.getByTestId('publish-submit').click();
  };

  test('shows the node\'s UDP services as chips of their own', async () => {
    await page.getByTestId(`lab-${LAB}`).click();
    // The SR Linux kind's SNMP hint becomes a listening UDP port once snmpd binds it.
    await expect(page.getByTestId('port-agent-udp-161')).toHaveAttribute('data-source', 'listening', { timeout: 20_000 });
    await expect(page.getByTestId('port-agent-udp-161')).toContainText('UDP161 snmp');
    await expect(page.getByTestId('port-agent-udp-514')).toContainText('syslog');
    await expect(page.getByTestId(`port-agent-udp-${UDP_ECHO_PORT}`)).toHaveAttribute('data-protocol', 'udp');
    // snmpd's SMUX listens on TCP 199: a TCP chip, not a UDP one.
    await expect(page.getByTestId('port-agent-199')).toHaveAttribute('data-protocol', 'tcp');
  });

  test('border0 is offered but cannot take UDP, and the dialog says why', async () => {
    await page.getByTestId('port-agent-udp-161').click();
    const type = page.getByTestId('publish-type');
    // A UDP port: the TCP-based types are there, disabled, saying so.
    await expect(type.locator('option[value="tcp"]')).toBeDisabled();
    await page.getByTestId('publish-provider').selectOption('border0');
    await expect(type.locator('option[value="udp"]')).toBeDisabled();
    await expect(type.locator('option[value="udp"]')).toContainText('border0 sockets carry TCP only');
    await expect(page.getByTestId('publish-unavailable')).toContainText('border0 sockets carry TCP only: publish UDP through This computer or the SSH relay');
    await expect(page.getByTestId('publish-submit')).toBeDisabled();
    await page.keyboard.press('Escape');
  });

  test('publishes UDP 161 on this computer; snmpget through it answers with the node\'s sysDescr', async () => {
    await publishUdp(161);
    const row = udpRow(161);
    await expect(row.getByTestId('tunnel-state')).toHaveText('online');
    const ep = await endpointOf(row);
    const { stdout } = await run('snmpget', ['-v2c', '-c', 'public', '-t', '2', '-r', '1', `udp:${ep.host}:${ep.port}`, '1.3.6.1.2.1.1.1.0']);
    expect(stdout).toContain(`STRING: "${SYS_DESCR}"`);
    await expect(row.getByTestId('tunnel-peers')).toContainText('1/1');
    await expect(row.getByTestId('tunnel-datagrams')).toContainText('1 / 1 dgrams');
    // The node answers the probe's SNMP get, so the end-to-end probe asks it through the tunnel too.
    await expect(row.getByTestId('tunnel-health-upstream')).toHaveAttribute('data-ok', 'true');
    await expect(row.getByTestId('tunnel-health-e2e')).toHaveAttribute('data-ok', 'true', { timeout: 20_000 });
    await expect(row.getByTestId('tunnel-health-last')).toContainText('ago');
  });

  test('carries datagrams byte-exact to the node\'s UDP echo, each peer getting its own answers', async () => {
    await publishUdp(UDP_ECHO_PORT);
    const row = udpRow(UDP_ECHO_PORT);
    await expect(row.getByTestId('tunnel-state')).toHaveText('online');
    const ep = await endpointOf(row);
    const [a, b] = await Promise.all([udpClient(ep.host, ep.port), udpClient(ep.host, ep.port)]);
    try {
      const big = randomBytes(8000);
      a.send(big);
      b.send('from b');
      expect((await a.reply(1)).equals(big)).toBe(true);
      expect(String(await b.reply(1))).toBe('from b');
      await expect(row.getByTestId('tunnel-peers')).toContainText('2/2');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('sends syslog through the SSH relay (the helper on the relay): the node\'s rsyslog writes it', async () => {
    await configureSshRelay(page, relay);
    await publishUdp(514, 'ssh');
    const prompt = page.getByTestId('hostkey-prompt').first();
    await expect(prompt.getByTestId('hostkey-fingerprint')).toHaveText(relay.hostKeyFingerprint);
    await prompt.getByTestId('hostkey-trust').click();
    const row = udpRow(514);
    await expect(row.getByTestId('tunnel-state')).toHaveText('online');
    const ep = await endpointOf(row);
    expect(ep.host).toBe(relay.host);
    const tag = `clab-e2e-${randomBytes(6).toString('hex')}`;
    await run('logger', ['-n', ep.host, '-P', String(ep.port), '-d', '-t', 'e2e', tag]);
    await expect.poll(() => execIn(lab.containers[0].id, ['cat', SYSLOG_FILE]), { message: `rsyslog in the node wrote ${tag}`, timeout: 15_000 }).toContain(tag);
    await expect(row.getByTestId('tunnel-datagrams')).toContainText('1 / 0 dgrams');
  });

  test('the SNMP port shows degraded when snmpd stops listening in the node', async () => {
    await stopSnmpd(lab.containers[0].id);
    const row = udpRow(161);
    // A poll makes the tunnel look now (a datagram met port unreachable) rather than at the next round.
    await run('snmpget', ['-v2c', '-c', 'public', '-t', '1', '-r', '0', `udp:127.0.0.1:${(await endpointOf(row)).port}`, '1.3.6.1.2.1.1.1.0']).catch(() => undefined);
    await expect(row.getByTestId('tunnel-state')).toHaveText('degraded', { timeout: 20_000 });
    await expect(row.getByTestId('tunnel-reason')).toHaveText('node agent does not listen on UDP port 161 (port unreachable)');
    await expect(row.getByTestId('tunnel-drops')).toBeVisible();
  });
});
