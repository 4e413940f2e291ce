import { describe, expect, it } from 'vitest';
import type Dockerode from 'dockerode';
import { createDockerClient, describeDockerEndpoint, dockerOptions, execStdout, explainDockerError } from './docker-client';

describe('dockerOptions', () => {
  it('defaults to the system socket', () => {
    expect(dockerOptions(undefined)).toMatchObject({ socketPath: '/var/run/docker.sock', host: undefined });
    expect(dockerOptions('unix://')).toMatchObject({ socketPath: '/var/run/docker.sock' });
  });
  it('reads unix:// and tcp:// hosts, TLS on 2376', () => {
    expect(dockerOptions('unix:///run/user/1000/docker.sock')).toMatchObject({ socketPath: '/run/user/1000/docker.sock', host: undefined });
    expect(dockerOptions('tcp://10.0.0.5:2375')).toMatchObject({ socketPath: undefined, host: '10.0.0.5', port: '2375', protocol: 'http' });
    expect(dockerOptions('tcp://docker.lab:2376')).toMatchObject({ host: 'docker.lab', protocol: 'https' });
    expect(dockerOptions('10.0.0.5:2375')).toMatchObject({ host: '10.0.0.5', port: '2375' });
    expect(dockerOptions('tcp://h:2375', { DOCKER_TLS_VERIFY: '1' })).toMatchObject({ protocol: 'https' });
  });
  it('refuses schemes it cannot speak', () => {
    expect(() => dockerOptions('npipe:////./pipe/docker_engine')).toThrow(/unsupported Docker host/);
  });
});

describe('createDockerClient', () => {
  it('honours DOCKER_HOST, and an explicit host over it', () => {
    expect(describeDockerEndpoint(createDockerClient(undefined, { DOCKER_HOST: 'tcp://10.1.1.1:2375' }))).toBe('tcp://10.1.1.1:2375');
    expect(describeDockerEndpoint(createDockerClient(undefined, {}))).toBe('unix:///var/run/docker.sock');
    // docker-modem reads process.env.DOCKER_HOST on its own; an explicit socket must still win.
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'tcp://10.1.1.1:2375';
    try {
      expect(describeDockerEndpoint(createDockerClient('unix:///tmp/d.sock'))).toBe('unix:///tmp/d.sock');
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });
});

describe('explainDockerError', () => {
  const err = (code: string, message: string) => Object.assign(new Error(message), { code });
  it('says where and what, and what to do per cause', () => {
    const missing = explainDockerError(err('ENOENT', 'connect ENOENT /var/run/docker.sock'), 'unix:///var/run/docker.sock');
    expect(missing.error).toBe('cannot reach Docker at unix:///var/run/docker.sock: connect ENOENT /var/run/docker.sock');
    expect(missing.hint).toMatch(/sudo systemctl start docker/);
    expect(explainDockerError(err('EACCES', 'connect EACCES'), 'unix:///var/run/docker.sock').hint).toMatch(/docker group/);
    expect(explainDockerError(err('ECONNREFUSED', 'x'), 'tcp://h:2375').hint).toMatch(/DOCKER_HOST/);
    expect(explainDockerError(new Error('closed'), 'unix:///s', true).error).toBe('lost the connection to Docker at unix:///s: closed');
  });
});

describe('execStdout before the exec runs', () => {
  // A daemon (or the SSH link to a lab host) that takes the exec request and never answers:
  // the caller's time limit and its abort still hold. (A running exec's limits are tested
  // against real Docker in port-scans.test.ts.)
  const silent = (calls: string[]) =>
    ({
      getContainer: (id: string) => ({
        exec: () => (calls.push(`exec ${id}`), new Promise(() => undefined)),
      }),
    }) as unknown as Dockerode;

  it('gives up at its time limit while Docker does not answer the exec request', async () => {
    const calls: string[] = [];
    await expect(execStdout(silent(calls), 'c1', ['cat', '/proc/net/tcp'], { timeoutMs: 50 })).rejects.toThrow('exec cat timed out after 50 ms');
    expect(calls).toEqual(['exec c1']);
  });

  it('gives up as soon as the caller aborts, with the caller\'s reason', async () => {
    const abort = new AbortController();
    const pending = execStdout(silent([]), 'c1', ['cat'], { timeoutMs: 60_000, signal: abort.signal });
    abort.abort(new Error('node stopped'));
    await expect(pending).rejects.toThrow('node stopped');
  });

  it('closes a stream that comes after it gave up', async () => {
    let late!: (s: unknown) => void;
    let destroyed = false;
    const docker = {
      getContainer: () => ({
        exec: () => Promise.resolve({ start: () => new Promise((resolve) => (late = resolve)) }),
      }),
    } as unknown as Dockerode;
    const abort = new AbortController();
    const pending = execStdout(docker, 'c1', ['cat'], { signal: abort.signal });
    await new Promise((r) => setImmediate(r));
    abort.abort(new Error('core disposed'));
    await expect(pending).rejects.toThrow('core disposed');
    late({ destroy: () => (destroyed = true) });
    await new Promise((r) => setImmediate(r));
    expect(destroyed).toBe(true);
  });
});
