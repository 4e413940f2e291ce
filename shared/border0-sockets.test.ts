import { describe, expect, it } from 'vitest';
import { border0SocketName, border0SocketType, BORDER0_NAME_RULE } from './border0-sockets';
import { border0ViewerAccess } from './border0-viewer';

describe('border0SocketName', () => {
  it('is the containerlab long name plus type and port, sanitised as the border0 CLI does', () => {
    expect(border0SocketName({ host: 'local', lab: 'srl01', node: 'leaf1', type: 'tcp', port: 22 })).toBe('clab-srl01-leaf1-tcp-22');
    expect(border0SocketName({ host: 'local', lab: 'My Lab', node: 'Core_R2.x', type: 'https', port: 443 })).toBe('clab-my-lab-core-r2-x-https-443');
    expect(border0SocketName({ host: 'local', lab: 'lab', node: 'ünï@node', type: 'tls', port: 57400 })).toMatch(BORDER0_NAME_RULE);
  });

  it('differs between labs with the same node names, and between lab hosts with the same lab name', () => {
    const a = border0SocketName({ host: 'local', lab: 'a', node: 'r1', type: 'tcp', port: 22 });
    const b = border0SocketName({ host: 'local', lab: 'b', node: 'r1', type: 'tcp', port: 22 });
    const remote = border0SocketName({ host: 'lab-server-1', lab: 'a', node: 'r1', type: 'tcp', port: 22 });
    const remote2 = border0SocketName({ host: 'lab-server-2', lab: 'a', node: 'r1', type: 'tcp', port: 22 });
    expect(new Set([a, b, remote, remote2]).size).toBe(4);
    expect(remote).toMatch(/^clab-a-r1-tcp-22-[0-9a-z]{4}$/);
  });

  it('is the same at every call (stable across restarts), and shortened to 63 with a hash when too long', () => {
    const parts = { host: 'local', lab: 'a-very-long-lab-name-for-a-training-class-2025', node: 'spine-router-number-01', type: 'https' as const, port: 65535 };
    const name = border0SocketName(parts);
    expect(name).toBe(border0SocketName({ ...parts }));
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(BORDER0_NAME_RULE);
    expect(name).toMatch(/^clab-a-very-long-lab-name.*-[0-9a-z]{6}-https-65535$/);
    expect(border0SocketName({ ...parts, node: 'spine-router-number-02' })).not.toBe(name);
  });
});

describe('border0SocketType', () => {
  it('maps what people publish to the types the service takes', () => {
    expect(border0SocketType('tcp')).toEqual({ socketType: 'tls' });
    expect(border0SocketType('tls')).toEqual({ socketType: 'tls' });
    expect(border0SocketType('http')).toEqual({ socketType: 'http', upstreamType: 'http' });
    expect(border0SocketType('https')).toEqual({ socketType: 'http', upstreamType: 'https' });
    expect(border0SocketType('ssh')).toEqual({ socketType: 'ssh', upstreamType: 'ssh' });
    expect(() => border0SocketType('udp')).toThrow(/no socket type for udp/);
  });
});

describe('border0ViewerAccess', () => {
  const dns = 'clab-lab-r1-tcp-22-org.border0.io';
  it('SSH over a tls socket: the ProxyCommand line', () => {
    expect(border0ViewerAccess({ type: 'tcp', port: 22, dnsName: dns, user: 'admin' })).toMatchObject({
      socketType: 'tls',
      ssh: true,
      command: `ssh -o ProxyCommand="border0 client tls --host %h" admin@${dns}`,
    });
  });
  it('other tls: the border0 client listening locally, never a bare address', () => {
    const a = border0ViewerAccess({ type: 'tcp', port: 57400, dnsName: dns });
    expect(a).toMatchObject({ socketType: 'tls', ssh: false, command: `border0 client tls --host ${dns} --listener 57400` });
    expect(a.needs).toContain('border0 has no anonymous TCP');
  });
  it('ssh sockets: border0 ends SSH, the node must trust its CA', () => {
    const a = border0ViewerAccess({ type: 'ssh', port: 22, dnsName: dns });
    expect(a).toMatchObject({ socketType: 'ssh', ssh: false, command: `border0 client ssh --host ${dns}` });
    expect(a.needs).toMatch(/must trust that CA .*password does not work/);
  });
  it('web: https in the browser, whatever the upstream', () => {
    expect(border0ViewerAccess({ type: 'http', port: 80, dnsName: dns })).toMatchObject({ socketType: 'http', url: `https://${dns}/` });
    expect(border0ViewerAccess({ type: 'https', port: 443, dnsName: dns }).url).toBe(`https://${dns}/`);
  });
});
