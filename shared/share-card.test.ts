import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { border0ViewerAccess } from './border0-viewer';
import { buildShareCard } from './share-card';
import { cardHtml } from './share-card-html';
import type { CardInput, CardPortInput } from './share-card-model';
import { qrModules, qrSvg } from './share-qr';

const port = (p: Partial<CardPortInput> & Pick<CardPortInput, 'node' | 'kind' | 'port'>): CardPortInput => ({
  type: 'tcp',
  provider: 'local',
  access: [],
  endpoint: { host: '203.0.113.10', port: 40000 + p.port },
  status: 'online',
  rules: [],
  rulesEnforced: true,
  user: 'admin',
  ...p,
});

const input = (ports: CardPortInput[], extra: Partial<CardInput> = {}): CardInput => ({
  shareId: 's1',
  title: 'BGP class',
  host: 'local',
  lab: 'srl01',
  state: 'open',
  includeCredentials: false,
  ports,
  ...extra,
});

const byPort = (card: ReturnType<typeof buildShareCard>, n: number) => card.ports.find((p) => p.port === n)!;

describe('share card commands, by type and kind', () => {
  const card = buildShareCard(
    input([
      port({ node: 'srl', kind: 'nokia_srlinux', port: 22 }),
      port({ node: 'srl', kind: 'nokia_srlinux', port: 830 }),
      port({ node: 'srl', kind: 'nokia_srlinux', port: 57400 }),
      port({ node: 'srl', kind: 'nokia_srlinux', port: 443, type: 'https' }),
      port({ node: 'ceos', kind: 'arista_ceos', port: 6030 }),
      port({ node: 'ceos', kind: 'arista_ceos', port: 443 }),
      port({ node: 'web', kind: 'linux', port: 80, type: 'http', user: 'root' }),
      port({ node: 'web', kind: 'linux', port: 9000, user: 'root' }),
    ]),
  );

  it('SSH, NETCONF over SSH and gNMI get ready commands with the kind\'s user', () => {
    expect(byPort(card, 22)).toMatchObject({ service: 'SSH', command: 'ssh -p 40022 admin@203.0.113.10', sshAlias: 'srl01-srl' });
    expect(byPort(card, 830)).toMatchObject({ service: 'NETCONF', command: 'ssh -p 40830 admin@203.0.113.10 -s netconf', sshAlias: 'srl01-srl-830' });
    expect(byPort(card, 57400)).toMatchObject({ service: 'gNMI', command: 'gnmic -a 203.0.113.10:97400 --skip-verify -u admin capabilities' });
    // cEOS serves gNMI without TLS.
    expect(byPort(card, 6030).command).toBe('gnmic -a 203.0.113.10:46030 --insecure -u admin capabilities');
  });

  it('web ports get a browser link; SR Linux 443 is JSON-RPC, cEOS 443 is eAPI', () => {
    expect(byPort(card, 443)).toMatchObject({ service: 'JSON-RPC', url: 'https://203.0.113.10:40443/' });
    expect(byPort(card, 443).command).toContain('https://203.0.113.10:40443/jsonrpc');
    expect(card.ports.find((p) => p.node === 'ceos' && p.port === 443)).toMatchObject({ service: 'eAPI', url: 'https://203.0.113.10:40443/' });
    expect(byPort(card, 80)).toMatchObject({ service: 'HTTP', url: 'http://203.0.113.10:40080/' });
    expect(byPort(card, 9000)).toMatchObject({ service: 'TCP', address: '203.0.113.10:49000' });
    expect(byPort(card, 9000).command).toBeUndefined();
  });

  it('UDP ports get their client command (snmpget, logger) and no ssh alias, even on port 22', () => {
    const c = buildShareCard(
      input([
        port({ node: 'srl', kind: 'nokia_srlinux', port: 161, type: 'udp' }),
        port({ node: 'col', kind: 'linux', port: 514, type: 'udp' }),
        port({ node: 'col', kind: 'linux', port: 22, type: 'udp' }),
      ]),
    );
    expect(byPort(c, 161)).toMatchObject({ service: 'SNMP', command: 'snmpget -v2c -c public udp:203.0.113.10:40161 1.3.6.1.2.1.1.1.0' });
    expect(byPort(c, 514)).toMatchObject({ service: 'syslog', command: "logger -n 203.0.113.10 -P 40514 -d 'hello'" });
    expect(byPort(c, 22)).toMatchObject({ service: 'UDP', note: 'UDP' });
    expect(c.ports.every((p) => p.sshAlias === undefined)).toBe(true);
  });

  it('border0 identity-aware SSH goes through border0\'s client', () => {
    const c = buildShareCard(input([port({ node: 'r1', kind: 'linux', port: 22, type: 'tls', provider: 'border0', access: ['alice@example.com'], endpoint: { host: 'tunnel.border0.io', port: 443, dnsName: 'clab-r1-ssh-22-acme.border0.io' }, user: 'root' })]));
    expect(c.ports[0].command).toBe('ssh -o ProxyCommand="border0 client tls --host %h" root@clab-r1-ssh-22-acme.border0.io');
    expect(c.ports[0].exposure).toBe('identity');
    expect(c.sshConfig).toContain('ProxyCommand border0 client tls --host %h');
  });

  it('border0 ports use the same commands as the Published ports table, list or not', () => {
    const dns = (n: string) => ({ host: 'tunnel.border0.io', port: 443, dnsName: `${n}-acme.border0.io` });
    const c = buildShareCard(
      input([
        port({ node: 'r1', kind: 'linux', port: 22, type: 'tcp', provider: 'border0', access: [], endpoint: dns('a'), user: 'root' }),
        port({ node: 'r1', kind: 'linux', port: 57400, type: 'tcp', provider: 'border0', access: [], endpoint: dns('b'), user: 'root' }),
        port({ node: 'r2', kind: 'linux', port: 22, type: 'ssh', provider: 'border0', access: ['engineers'], endpoint: dns('c'), user: 'root' }),
        port({ node: 'r2', kind: 'linux', port: 443, type: 'https', provider: 'border0', access: [], endpoint: dns('d'), user: 'root' }),
      ]),
    );
    const [ssh, gnmi, sshSocket, web] = c.ports;
    expect(ssh).toMatchObject({ exposure: 'identity', command: border0ViewerAccess({ type: 'tcp', port: 22, dnsName: 'a-acme.border0.io', user: 'root' }).command });
    expect(gnmi.command).toBe('border0 client tls --host b-acme.border0.io --listener 57400');
    expect(sshSocket.command).toBe('border0 client ssh --host c-acme.border0.io');
    expect(sshSocket.note).toContain("the node must trust border0's SSH CA");
    expect(web).toMatchObject({ url: 'https://d-acme.border0.io/' });
    expect(c.ports.some((p) => p.command?.startsWith('ssh -p'))).toBe(false);
    // ssh_config: a Host entry with the ProxyCommand for the tls socket, only a comment for the ssh socket.
    expect(c.sshConfig).toContain('Host srl01-r1\n  HostName a-acme.border0.io\n  ProxyCommand border0 client tls --host %h');
    expect(c.sshConfig).toMatch(/# srl01-r2: border0 client ssh --host c-acme\.border0\.io/);
    expect(c.sshConfig).not.toContain('HostName c-acme.border0.io');
  });

  it('IPv6 addresses are bracketed where a port follows, bare after user@', () => {
    const c = buildShareCard(input([port({ node: 'r1', kind: 'linux', port: 22, endpoint: { host: '2001:db8::7', port: 2222 }, user: 'root' }), port({ node: 'r1', kind: 'linux', port: 57400, endpoint: { host: '2001:db8::7', port: 2223 }, user: 'root' })]));
    expect(c.ports[0]).toMatchObject({ address: '[2001:db8::7]:2222', command: 'ssh -p 2222 root@2001:db8::7' });
    expect(c.ports[1].command).toContain('-a [2001:db8::7]:2223');
  });

  it('passwords appear only with "include credentials", shell-quoted', () => {
    const ports = [port({ node: 'srl', kind: 'nokia_srlinux', port: 57400, password: "NokiaSrl1!'x" })];
    expect(buildShareCard(input(ports)).markdown).not.toContain('NokiaSrl1');
    const withCreds = buildShareCard(input(ports, { includeCredentials: true }));
    expect(withCreds.ports[0].command).toBe(`gnmic -a 203.0.113.10:97400 --skip-verify -u admin -p 'NokiaSrl1!'\\''x' capabilities`);
    expect(withCreds.markdown).toContain('## Credentials');
  });
});

describe('ssh_config, exposure and the exports', () => {
  const card = buildShareCard(
    input(
      [
        port({ node: 'r1', kind: 'linux', port: 22, user: 'root', endpoint: { host: '127.0.0.1', port: 41022 } }),
        port({ node: 'r2', kind: 'linux', port: 22, user: 'root', rules: ['198.51.100.0/24'] }),
        port({ node: 'r3', kind: 'linux', port: 22, user: 'root' }),
        port({ node: 'r4', kind: 'linux', port: 22, user: 'root', status: 'not-published', type: undefined, endpoint: undefined }),
      ],
      { expiresAt: Date.UTC(2030, 0, 1, 12) },
    ),
  );

  it('one Host <lab>-<node> per SSH-capable port, with the node\'s host key tied to the alias', () => {
    expect(card.sshConfig).toContain('Host srl01-r1\n  HostName 127.0.0.1\n  Port 41022\n  User root\n  HostKeyAlias srl01-r1\n');
    expect(card.sshConfig.match(/^Host /gm)).toHaveLength(3); // r4 is not published
  });

  it('says who can reach each port: loopback, restricted, or open to anyone (never silently)', () => {
    expect(card.ports.map((p) => p.exposure)).toEqual(['loopback', 'restricted', 'open', 'open']);
    expect(card.markdown).toContain('open to anyone who finds the port');
    expect(card.markdown).toContain('shared until 2030-01-01');
    expect(card.markdown).toContain('not published at the moment');
  });

  it('the HTML file is self-contained: no script, no external reference, QR codes inline', () => {
    const html = cardHtml(card);
    expect(html).not.toMatch(/<script|src=|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<svg');
    expect(html).toContain('Host srl01-r1');
  });

  it('escapes what the owner typed in the title in every format', () => {
    const c = buildShareCard(input([port({ node: 'r1', kind: 'linux', port: 22 })], { title: '<img src=x> | pipes' }));
    expect(cardHtml(c)).toContain('&lt;img src=x&gt;');
    expect(cardHtml(c)).not.toContain('<img');
  });

  it('QR codes encode the browser links and the primary address (the page itself needs a personal link)', () => {
    expect(card.qr[0]).toEqual({ label: 'r1 SSH', text: 'ssh://root@127.0.0.1:41022' });
    const web = buildShareCard(input([port({ node: 'w', kind: 'linux', port: 80, type: 'http' })]));
    expect(web.qr).toEqual([{ label: 'w HTTP', text: 'http://203.0.113.10:40080/' }]);
    const linked = buildShareCard(input([port({ node: 'w', kind: 'linux', port: 80, type: 'http' })], { link: 'https://share.example/abc' }));
    expect(linked.qr).toEqual([{ label: 'w HTTP', text: 'http://203.0.113.10:40080/' }]);
    expect(linked.markdown).toContain('Share page: https://share.example/abc (each attendee opens their personal link)');
  });
});

describe('QR code', () => {
  it('decodes back to the text (drawn from the same modules as the SVG)', () => {
    const text = 'ssh://admin@203.0.113.10:40022';
    const { size, dark } = qrModules(text);
    const scale = 4;
    const quiet = 4;
    const dim = (size + quiet * 2) * scale;
    const px = new Uint8ClampedArray(dim * dim * 4).fill(255);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        if (!dark(x, y)) continue;
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const i = (((y + quiet) * scale + dy) * dim + (x + quiet) * scale + dx) * 4;
            px[i] = px[i + 1] = px[i + 2] = 0;
          }
      }
    expect(jsQR(px, dim, dim)?.data).toBe(text);
    const svg = qrSvg(text);
    // Every dark module of the grid is drawn: one rectangle per run of dark modules on a row.
    let runs = 0;
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (dark(x, y) && (x === 0 || !dark(x - 1, y))) runs++;
    expect(svg.match(/M\d+ \d+h\d+v1h-\d+z/g)).toHaveLength(runs);
  });
});
