import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCa, startBorder0Standin, type CaFiles, type Standin } from '../../../../test-support/border0-standin';
import { LogStore } from '../../logs/log-store';
import { Border0Api, type Border0ApiOptions } from './api-client';
import { Border0ApiError, DEFAULT_RETRY_AFTER_MS, UNAUTHORIZED_MESSAGE } from './api-errors';
import { decodeToken } from './token';

const run = promisify(execFile);
let dir: string;
let ca: CaFiles;
let hostKey: CaFiles;
let standin: Standin;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'border0-api-test-'));
  ca = await makeCa(dir);
  hostKey = await makeCa(dir, 'tunnel_host_ed25519');
  standin = await startBorder0Standin({ caKeyPath: ca.caKeyPath, tunnelServer: { host: '127.0.0.1', port: 2222 }, hostKeyPub: hostKey.caPub });
});
afterAll(async () => {
  await standin?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function client(token: string | undefined, o: Partial<Border0ApiOptions> = {}) {
  const logs = new LogStore();
  const api = new Border0Api({ baseUrl: standin.apiUrl, getToken: () => token, authHeader: 'x-access-token', log: logs.logger('border0'), ...o });
  return { api, logs };
}

/** The rejection of `p`, which must be a Border0ApiError. */
async function failure(p: Promise<unknown>): Promise<Border0ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Border0ApiError);
  return err as Border0ApiError;
}

describe('Border0Api against the stand-in', () => {
  it('logs in with email and password, sending no token', async () => {
    const { api } = client(undefined);
    const answer = await api.login(standin.email, standin.password);
    expect(answer.require_mfa).toBe(false);
    expect(decodeToken(answer.token)).toMatchObject({ user_id: standin.userId, user_email: standin.email, org_subdomain: 'clab' });
    expect(standin.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/login', headers: { 'x-access-token': false, authorization: false } });
    const wrong = await failure(api.login(standin.email, 'nope'));
    expect([wrong.kind, wrong.status, wrong.message]).toEqual(['unauthorized', 401, 'border0: the email or password was not accepted']);
  });

  it('refreshes with body {} and gets a token that lives longer', async () => {
    const old = standin.issueToken({ expInSeconds: 60 });
    const { token } = await client(old).api.refresh();
    expect(standin.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/login/refresh', body: {}, headers: { 'x-access-token': true } });
    expect(decodeToken(token).exp!).toBeGreaterThan(decodeToken(old).exp! + 3000);
  });

  it('creates, lists, shows, updates and deletes sockets and their tunnels', async () => {
    const { api } = client(standin.issueToken(), { sleep: async () => {} });
    const created = await api.createSocket({ name: 'clab-lab1-srl1-tcp-22', socket_type: 'tls', cloud_authentication_enabled: true });
    expect(created).toMatchObject({ name: 'clab-lab1-srl1-tcp-22', dnsname: 'clab-lab1-srl1-tcp-22-clab.border0.test', socket_type: 'tls', cloud_authentication_enabled: true, tunnels: [] });
    expect(created.socket_id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await api.listSockets()).map((s) => s.socket_id)).toContain(created.socket_id);
    expect((await api.getSocket('clab-lab1-srl1-tcp-22')).socket_id).toBe(created.socket_id);

    const tunnel = await api.createTunnel(created.socket_id);
    expect(standin.requests.at(-1)?.body).toEqual({});
    expect(tunnel.local_port).toBeGreaterThan(0);
    expect(tunnel.tunnel_server).toBe('127.0.0.1:2222');
    expect(await api.listTunnels(created.socket_id)).toEqual([tunnel]);
    expect(await api.getTunnel(created.socket_id, tunnel.tunnel_id)).toEqual(tunnel);
    expect((await api.getSocket(created.socket_id)).tunnels).toEqual([tunnel]);

    const updated = await api.updateSocket(created.socket_id, { cloud_authentication_email_allowed_domains: ['example.com'] });
    expect(updated).toMatchObject({ cloud_authentication_enabled: true, cloud_authentication_email_allowed_domains: ['example.com'], tunnels: [tunnel] });

    await expect(api.deleteTunnel(created.socket_id, tunnel.tunnel_id)).resolves.toBeUndefined();
    expect(await api.listTunnels(created.socket_id)).toEqual([]);
    await expect(api.deleteSocket(created.socket_id)).resolves.toBeUndefined();
    const gone = await failure(api.getSocket(created.socket_id));
    expect([gone.kind, gone.status, gone.code, gone.message]).toEqual(['http', 404, 'not_found', 'socket not found']);
    expect(await api.findSocket('clab-lab1-srl1-tcp-22')).toBeUndefined();
  });

  it('the stand-in is as strict as the service: socket types, names, duplicates (409 with only `message`)', async () => {
    const { api } = client(standin.issueToken());
    for (const socket_type of ['tcp', 'https']) {
      const bad = await failure(api.createSocket({ name: `clab-strict-${socket_type}`, socket_type: socket_type as 'tls' }));
      expect([bad.status, bad.message]).toEqual([400, `invalid socket_type "${socket_type}": use one of http, tls, ssh, database`]);
    }
    const web = await api.createSocket({ name: 'clab-strict-https-443', socket_type: 'http', upstream_type: 'https' });
    expect([web.socket_type, web.upstream_type]).toEqual(['http', 'https']);
    for (const name of ['Clab-Upper', 'clab_r1', 'clab.r1', 'clab r1', '-clab', 'x'.repeat(64)]) {
      expect((await failure(api.createSocket({ name, socket_type: 'tls' }))).status, name).toBe(400);
    }
    const dup = await failure(api.createSocket({ name: 'clab-strict-https-443', socket_type: 'tls' }));
    expect([dup.status, dup.code, dup.message]).toEqual([409, 'conflict', 'socket name clab-strict-https-443 already exists']);
    // Policies named in a create body are ignored: they are attached once the socket exists.
    standin.setPolicies(['lab-viewers']);
    const ignored = await api.createSocket({ name: 'clab-strict-pol', socket_type: 'tls', policy_names: ['lab-viewers'] } as never);
    expect(ignored.policies).toEqual([]);
  });

  it('finds policies by name and attaches them to a socket; the socket lists them in policies[]', async () => {
    standin.setPolicies(['lab-viewers', 'engineers']);
    const { api } = client(standin.issueToken(), { sleep: async () => {} });
    const viewers = await api.findPolicy('lab-viewers');
    expect(viewers).toEqual({ id: expect.any(String), name: 'lab-viewers' });
    expect(standin.requests.at(-1)?.path).toBe('/api/v1/policies/find?name=lab-viewers');
    expect(await api.findPolicy('nobody knows')).toBeUndefined();
    expect((await api.listPolicies()).map((p) => p.name)).toEqual(['lab-viewers', 'engineers']);
    const socket = await api.createSocket({ name: 'clab-pol-n1-ssh-22', socket_type: 'ssh', upstream_type: 'ssh' });
    await api.attachPolicies(socket.socket_id, [viewers!.id]);
    expect(standin.requests.filter((r) => r.method === 'PUT').at(-1)).toMatchObject({ path: `/api/v1/socket/${socket.socket_id}/policy`, body: { actions: [{ action: 'add', id: viewers!.id }] } });
    expect((await api.getSocket(socket.socket_id)).policies).toEqual([viewers]);
    const bad = await failure(api.attachPolicies(socket.socket_id, ['no-such-id']));
    expect([bad.status, bad.message]).toEqual([400, 'policy no-such-id not found']);
  });

  it('asks again, 0.5 s then 1 s apart, when a new socket is not found yet (replication lag)', async () => {
    const waits: number[] = [];
    const { api, logs } = client(standin.issueToken(), { sleep: async (ms) => void waits.push(ms) });
    const socket = await api.createSocket({ name: 'clab-lag-n1-tls-57400', socket_type: 'tls' });
    const lagBefore = standin.lagAnswers;
    const tunnel = await api.createTunnel(socket.socket_id);
    expect(tunnel.local_port).toBeGreaterThan(0);
    expect(standin.lagAnswers).toBe(lagBefore + 1);
    expect(waits).toEqual([500]);
    expect(logs.query({ limit: 100 }).map((e) => e.message)).toContain(`POST socket/${socket.socket_id}/tunnel answered 404: asking again in 500 ms (replication lag)`);
    // Gone for good: three more tries, then the 404 is the answer.
    for (let i = 0; i < 4; i++) standin.failNext(404, { message: 'socket not found' });
    waits.length = 0;
    const gone = await failure(api.signKey(socket.socket_id, 'ssh-ed25519 AAAA'));
    expect([gone.status, gone.message, waits]).toEqual([404, 'socket not found', [500, 1000, 1000]]);
    // Lookups that expect "not found" as an answer are asked once.
    waits.length = 0;
    expect(await api.findSocket('clab-never-made')).toBeUndefined();
    expect(waits).toEqual([]);
  });

  it('reads every page of the socket list', async () => {
    const { api } = client(standin.issueToken());
    for (let i = 0; i < 5; i++) await api.createSocket({ name: `clab-page-n${i}-tls-22`, socket_type: 'tls' });
    standin.setMaxPageSize(2);
    try {
      const from = standin.requests.length;
      const all = await api.listSockets();
      expect(all.length).toBe(standin.sockets.length);
      expect(all.map((s) => s.name)).toEqual(expect.arrayContaining([0, 1, 2, 3, 4].map((i) => `clab-page-n${i}-tls-22`)));
      const pages = standin.requests.slice(from).map((r) => r.path);
      expect(pages.length).toBe(Math.ceil(standin.sockets.length / 2));
      expect(pages[1]).toBe('/api/v1/sockets?page=2&page_size=100');
    } finally {
      standin.setMaxPageSize(100);
    }
  });

  it('can send the token as Authorization: Bearer, except to the device endpoint', async () => {
    const { api } = client(standin.issueToken(), { authHeader: 'bearer' });
    await api.listSockets();
    expect(standin.requests.at(-1)?.headers).toEqual({ 'x-access-token': false, authorization: true });
    // The device endpoint reads x-access-token whatever the configured header (401: nobody signed in yet).
    await failure(api.pollDeviceAuthorization((await api.createDeviceAuthorization()).token));
    expect(standin.requests.at(-1)?.headers).toEqual({ 'x-access-token': true, authorization: false });
  });

  it('gets an SSH certificate signed by the CA for the user’s dash-less id', async () => {
    const { api } = client(standin.issueToken());
    const socket = await api.createSocket({ name: 'clab-lab1-r1-ssh-22', socket_type: 'ssh' });
    await run('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', path.join(dir, 'client')]);
    const signed = await api.signKey(socket.socket_id, fs.readFileSync(path.join(dir, 'client.pub'), 'utf8'));
    expect(signed.host_key).toBe(hostKey.caPub.split(' ')[1]);
    expect(signed.signed_ssh_cert).toMatch(/^ecdsa-sha2-nistp256-cert-v01@openssh\.com /);
    const certFile = path.join(dir, 'client-cert.pub');
    fs.writeFileSync(certFile, signed.signed_ssh_cert + '\n');
    const { stdout } = await run('ssh-keygen', ['-L', '-f', certFile]);
    const { stdout: caFp } = await run('ssh-keygen', ['-lf', ca.caPubPath]);
    expect(stdout).toContain(`Signing CA: ED25519 ${caFp.split(' ')[1]}`);
    expect(stdout).toMatch(new RegExp(`Principals:\\s*\\n\\s*${standin.sshUser}\\s*\\n`));
    expect(stdout).toContain('Key ID: "clab-lab1-r1-ssh-22"');
    expect(standin.sshUser).toBe(standin.userId.replace(/-/g, ''));

    const bad = await failure(api.signKey(socket.socket_id, 'not a key'));
    expect([bad.status, bad.message]).toEqual([400, 'invalid ssh public key']);
  });

  it('maps an expired token, and a missing one, to unauthorized', async () => {
    const expired = await failure(client(standin.issueToken({ expInSeconds: -60 })).api.listSockets());
    expect([expired.kind, expired.status, expired.message, expired.code]).toEqual(['unauthorized', 401, UNAUTHORIZED_MESSAGE, 'refused']);
    expect(UNAUTHORIZED_MESSAGE).toBe('border0: not logged in or the token expired — log in again');
    const before = standin.requests.length;
    const missing = await failure(client(undefined).api.listSockets());
    expect([missing.kind, missing.message]).toEqual(['unauthorized', UNAUTHORIZED_MESSAGE]);
    expect(standin.requests.length).toBe(before);
  });

  it('reports 429 with the Retry-After delay, or the default without one', async () => {
    const { api } = client(standin.issueToken());
    standin.failNext(429, undefined, { 'retry-after': '7' });
    const limited = await failure(api.listSockets());
    expect([limited.kind, limited.status, limited.retryAfterMs]).toEqual(['rate_limited', 429, 7000]);
    expect(limited.message).toBe('border0 is rate limiting requests: the app backs off and tries again in 7 s');
    standin.failNext(429);
    expect((await failure(api.listSockets())).retryAfterMs).toBe(DEFAULT_RETRY_AFTER_MS);
  });

  it('shows the service’s error_message verbatim, else its message, else the status text', async () => {
    const { api } = client(standin.issueToken());
    standin.failNext(500, { error_message: 'Something went wrong: quota of 5 sockets reached' });
    const e500 = await failure(api.listSockets());
    expect([e500.kind, e500.status, e500.message, e500.code]).toEqual(['http', 500, 'Something went wrong: quota of 5 sockets reached', 'unavailable']);
    standin.failNext(403, { message: 'socket limit reached for this plan' });
    expect((await failure(api.listSockets())).message).toBe('socket limit reached for this plan');
    standin.failNext(502, '<html>bad gateway</html>');
    expect((await failure(api.listSockets())).message).toBe('Bad Gateway');
  });

  it('refuses an answer of the wrong shape instead of passing it on', async () => {
    standin.failNext(200, { sockets: 'none' });
    const { api } = client(standin.issueToken());
    const err = await failure(api.listSockets());
    expect([err.kind, err.message]).toEqual(['invalid_response', 'border0 answered GET sockets?page=1&page_size=100 in an unexpected shape (at list)']);
    standin.failNext(204);
    expect((await failure(api.refresh())).message).toBe('border0 answered POST login/refresh with no body');
  });

  it('names the host and the cause when nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const { api } = client(standin.issueToken(), { baseUrl: `http://127.0.0.1:${port}/api/v1` });
    const err = await failure(api.listSockets());
    expect([err.kind, err.status, err.message]).toEqual(['network', 0, `cannot reach 127.0.0.1:${port}: connect ECONNREFUSED`]);
  });

  it('gives up on a server that never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const { api } = client(standin.issueToken(), { baseUrl: `http://127.0.0.1:${port}/api/v1`, timeoutMs: 300 });
      const err = await failure(api.listSockets());
      expect([err.kind, err.message]).toEqual(['timeout', `127.0.0.1:${port} did not answer within 0.3 s`]);
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  });

  it('logs method, path and status but never a token', async () => {
    const token = standin.issueToken();
    const { api, logs } = client(token);
    const device = await api.createDeviceAuthorization();
    standin.authorizeDevice();
    await api.pollDeviceAuthorization(device.token);
    const { token: fresh } = await api.refresh();
    const socket = await api.createSocket({ name: 'clab-logcheck-http-80', socket_type: 'http' });
    await api.getSocket(socket.socket_id);
    await api.deleteSocket(socket.socket_id);
    await failure(client(standin.issueToken({ expInSeconds: -5 })).api.listSockets());
    const entries = logs.query({ limit: 1000 });
    expect(entries.map((e) => e.message)).toEqual([
      'POST device_authorizations 200',
      'GET device_authorizations 200',
      'POST login/refresh 200',
      'POST socket 200',
      `GET socket/${socket.socket_id} 404`,
      `GET socket/${socket.socket_id} answered 404: asking again in 500 ms (replication lag)`,
      `GET socket/${socket.socket_id} 200`,
      `DELETE socket/${socket.socket_id} 204`,
    ]);
    expect(entries.every((e) => e.level === 'debug' && typeof e.fields?.status === 'number')).toBe(true);
    const text = JSON.stringify(entries);
    for (const secret of [token, device.token, fresh]) expect(text).not.toContain(secret.split('.')[2]);
  });
});
