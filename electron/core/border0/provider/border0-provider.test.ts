/**
 * The border0 provider against the strict stand-in (docs/border0.md, "What the real clients
 * do") and a real tunnel sshd: socket types, names, policies, conflicts. Every forward here
 * goes all the way online through a certificate-authenticated SSH tunnel.
 */
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../../../test-support/border0-standin';
import { border0SocketName } from '../../../../shared/border0-sockets';
import { providerBed, StatusLog } from './provider-test-helpers';

const bed = providerBed('border0-provider-test-');
const created = (name: string) => (r: RecordedRequest) => r.method === 'POST' && r.path === '/api/v1/socket' && (r.body as { name?: string })?.name === name;
const socketNamed = (name: string) => bed.standin.sockets.find((s) => s.name === name);

describe('border0 provider: sockets the way the service takes them', () => {
  it('mysocketio grammar: tcp/22 with emails becomes a tls socket with cloud auth; https/443 an http socket with an https upstream', async () => {
    const lagBefore = bed.standin.lagAnswers;
    const ssh = bed.open({ lab: 'myso', node: 'n1', port: 22, type: 'tls', access: ['alice@example.com'], accessKind: 'emails-domains' });
    const web = bed.open({ lab: 'myso', node: 'n1', port: 443, type: 'https', access: ['example.org'], accessKind: 'emails-domains' });
    const [sshOnline, webOnline] = await Promise.all([ssh.statuses.until('online'), web.statuses.until('online')]);

    const sshReq = await bed.standin.waitForRequest(created('clab-myso-n1-tls-22'));
    expect(sshReq.body).toEqual({
      name: 'clab-myso-n1-tls-22',
      socket_type: 'tls',
      description: 'clab-publisher: lab myso, node n1, tls/22',
      cloud_authentication_enabled: true,
      cloud_authentication_email_allowed_addressses: ['alice@example.com'],
      cloud_authentication_email_allowed_domains: [],
      tags: { 'clab-publisher': 'true', 'clab-instance': expect.stringMatching(/^[0-9a-f-]{36}$/), 'clab-host': 'local', 'clab-lab': 'myso', 'clab-node': 'n1' },
    });
    const webReq = await bed.standin.waitForRequest(created('clab-myso-n1-https-443'));
    expect(webReq.body).toMatchObject({ socket_type: 'http', upstream_type: 'https', cloud_authentication_enabled: true, cloud_authentication_email_allowed_domains: ['example.org'] });
    expect(sshOnline.endpoint).toMatchObject({ dnsName: socketNamed('clab-myso-n1-tls-22')!.dnsname, socketId: socketNamed('clab-myso-n1-tls-22')!.socket_id });
    expect(webOnline.endpoint.dnsName).toBe('clab-myso-n1-https-443-clab.border0.test');
    // Each new socket was "not found" once (replication lag) and the client asked again.
    expect(bed.standin.lagAnswers).toBeGreaterThanOrEqual(lagBefore + 2);
  });

  it('a tcp publication without a list is a tls socket too, with cloud auth on: the organisation decides who gets in', async () => {
    const f = bed.open({ lab: 'plain', node: 'r1', port: 57400, type: 'tcp' });
    await f.statuses.until('online');
    const req = await bed.standin.waitForRequest(created('clab-plain-r1-tcp-57400'));
    expect(req.body).toMatchObject({ socket_type: 'tls', cloud_authentication_enabled: true });
    expect(req.body).not.toHaveProperty('cloud_authentication_email_allowed_addressses');
    expect(req.body).not.toHaveProperty('upstream_type');
  });

  it('border0 grammar: ssh/22/engineers creates the socket, then finds and attaches the policy, and reads it back', async () => {
    bed.standin.setPolicies(['engineers', 'viewers']);
    const from = bed.standin.requests.length;
    const f = bed.open({ lab: 'bzero', node: 'srl1', port: 22, type: 'ssh', access: ['engineers'], accessKind: 'policies' });
    await f.statuses.until('online');
    const socket = socketNamed('clab-bzero-srl1-ssh-22')!;
    expect(socket).toMatchObject({ socket_type: 'ssh', upstream_type: 'ssh', cloud_authentication_enabled: true, policies: [{ name: 'engineers' }] });
    const calls = bed.standin.requests.slice(from).map((r) => `${r.method} ${r.path.replace(socket.socket_id, '{id}')}`);
    const order = ['GET /api/v1/policies/find?name=engineers', 'POST /api/v1/socket', 'PUT /api/v1/socket/{id}/policy', 'GET /api/v1/socket/{id}', 'POST /api/v1/socket/{id}/tunnel'];
    expect(calls.filter((c) => order.includes(c)).filter((c, i, a) => a.indexOf(c) === i)).toEqual(order);
    const create = bed.standin.requests.slice(from).find(created('clab-bzero-srl1-ssh-22'))!;
    expect(create.body).not.toHaveProperty('policy_names');
    expect(bed.standin.requests.slice(from).find((r) => r.method === 'PUT')!.body).toEqual({ actions: [{ action: 'add', id: bed.standin.policies[0].id }] });

    // Several policies are looked up in the full list, as border0-go does.
    const two = bed.open({ lab: 'bzero', node: 'srl1', port: 443, type: 'https', access: ['engineers', 'viewers'], accessKind: 'policies' });
    await two.statuses.until('online');
    expect(socketNamed('clab-bzero-srl1-https-443')!.policies.map((p) => p.name)).toEqual(['engineers', 'viewers']);
  });

  it('refuses unknown policy names before anything is created', async () => {
    bed.standin.setPolicies(['engineers']);
    const from = bed.standin.requests.length;
    const f = bed.open({ lab: 'bzero', node: 'srl2', port: 22, type: 'ssh', access: ['nobody-knows'], accessKind: 'policies' });
    const failed = await f.statuses.until('failed');
    expect(failed.reason).toBe('unknown border0 policy: nobody-knows (policies in this organisation: engineers)');
    expect(bed.standin.requests.slice(from).filter((r) => r.method === 'POST' && r.path === '/api/v1/socket')).toEqual([]);
    const many = bed.open({ lab: 'bzero', node: 'srl2', port: 443, type: 'https', access: ['engineers', 'ghosts', 'spooks'], accessKind: 'policies' });
    expect((await many.statuses.until('failed')).reason).toBe('unknown border0 policies: ghosts, spooks (policies in this organisation: engineers)');
  });

  it('two labs with the same node names get their own sockets; a node named Core_R2.x a valid one', async () => {
    const a = bed.open({ lab: 'twin-a', node: 'leaf1', port: 22, type: 'tcp' });
    const b = bed.open({ lab: 'twin-b', node: 'leaf1', port: 22, type: 'tcp' });
    const odd = bed.open({ lab: 'twin-a', node: 'Core_R2.x', port: 830, type: 'tcp' });
    await Promise.all([a.statuses.until('online'), b.statuses.until('online'), odd.statuses.until('online')]);
    expect(socketNamed('clab-twin-a-leaf1-tcp-22')).toBeDefined();
    expect(socketNamed('clab-twin-b-leaf1-tcp-22')).toBeDefined();
    expect(socketNamed('clab-twin-a-core-r2-x-tcp-830')).toBeDefined();
  });

  it('replaces a socket it left itself under the name it wants; a foreign one is never taken over', async () => {
    const name = border0SocketName({ host: 'local', lab: 'again', node: 'n1', type: 'tcp', port: 22 });
    // The lab's clean-up ran for the first forward; then a socket of ours under the second name turns up.
    const first = bed.open({ lab: 'again', node: 'n0', port: 22, type: 'tcp' });
    await first.statuses.until('online');
    const mine = socketNamed('clab-again-n0-tcp-22')!;
    const api = bed.border0.account.api;
    const leftover = await api.createSocket({ name, socket_type: 'tls', tags: { ...mine.tags, 'clab-node': 'n1' } });
    const second = bed.open({ lab: 'again', node: 'n1', port: 22, type: 'tcp' });
    await second.statuses.until('online');
    expect(socketNamed(name)!.socket_id).not.toBe(leftover.socket_id);
    expect(bed.logs.query({ limit: 1000 }).map((e) => e.message)).toContain(`replaced socket ${name} (${leftover.socket_id}) left by an earlier run for lab again`);

    // Someone made a socket by hand under the name a publication wants: a clear error, theirs stays.
    const taken = border0SocketName({ host: 'local', lab: 'again', node: 'n2', type: 'tcp', port: 22 });
    const theirs = await api.createSocket({ name: taken, socket_type: 'tls' });
    const third = bed.open({ lab: 'again', node: 'n2', port: 22, type: 'tcp' });
    const failed = await third.statuses.until('failed');
    expect(failed.reason).toBe(
      `a border0 socket named ${taken} already exists in your organisation and is not this app's (it was made by hand or by another tool): it is left alone ` +
        '(delete or rename that socket in the border0 portal if it is no longer used, or rename the lab)',
    );
    expect(socketNamed(taken)!.socket_id).toBe(theirs.socket_id);
  });

  it('another clab-publisher in the same organisation: its sockets for a lab of the same name are never cleaned up or taken over', async () => {
    const other = await bed.another();
    const theirStatus = new StatusLog();
    const theirs = other.provider.open(
      { tunnelId: 'other', name: '', host: 'local', lab: 'shared-name', node: 'n1', port: 22, type: 'tcp', access: [] },
      { onStatus: theirStatus.push, onConnection: (s) => s.destroy() },
    );
    try {
      await theirStatus.until('online');
      const before = socketNamed('clab-shared-name-n1-tcp-22')!.socket_id;
      const mine = bed.open({ lab: 'shared-name', node: 'n1', port: 22, type: 'tcp' });
      const failed = await mine.statuses.until('failed');
      expect(failed.reason).toContain('another clab-publisher (another computer or data folder) made it');
      expect(socketNamed('clab-shared-name-n1-tcp-22')!.socket_id).toBe(before);
      expect(theirStatus.all.at(-1)?.state).toBe('online');
    } finally {
      await theirs.close();
    }
  });
});
