import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loginConfig } from './ssh-login';

class Problem extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}
const problem = (message: string, hint: string) => new Problem(message, hint);

describe('loginConfig', () => {
  const agent = process.env.SSH_AUTH_SOCK;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-login-'));
  afterEach(() => {
    if (agent === undefined) delete process.env.SSH_AUTH_SOCK;
    else process.env.SSH_AUTH_SOCK = agent;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the key file at each call, and uses the agent when asked', async () => {
    const key = path.join(dir, 'id');
    fs.writeFileSync(key, 'KEY');
    process.env.SSH_AUTH_SOCK = '/run/agent.sock';
    expect(await loginConfig({ keyFile: key, useAgent: true, where: 'h:22' }, problem)).toEqual({ agent: '/run/agent.sock', privateKey: Buffer.from('KEY') });
  });

  it("says what is wrong and what to do, as the caller's error", async () => {
    delete process.env.SSH_AUTH_SOCK;
    await expect(loginConfig({ useAgent: true, where: 'h:22' }, problem)).rejects.toMatchObject({ message: 'useAgent is on, but SSH_AUTH_SOCK is not set for clab-publisher', hint: expect.stringContaining('ssh-agent') });
    await expect(loginConfig({ keyFile: path.join(dir, 'missing'), useAgent: false, where: 'h:22' }, problem)).rejects.toMatchObject({ message: `cannot read key file ${path.join(dir, 'missing')}: ENOENT` });
    const none = await loginConfig({ useAgent: false, where: 'h:22' }, problem).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(Problem);
    expect((none as Problem).message).toBe('no key to log in to h:22 with');
  });

  it('reads only a small regular file: a FIFO (which would wait for a writer), a device or a huge file is refused at once', async () => {
    const fifo = path.join(dir, 'key-fifo');
    execFileSync('mkfifo', [fifo]);
    const read = (keyFile: string) => loginConfig({ keyFile, useAgent: false, where: 'h:22' }, problem);
    await expect(read(fifo)).rejects.toMatchObject({ message: `cannot read key file ${fifo}: it is a FIFO (named pipe), not a regular file` });
    await expect(read('/dev/zero')).rejects.toMatchObject({ message: 'cannot read key file /dev/zero: it is a device, not a regular file' });
    const big = path.join(dir, 'big-key');
    fs.writeFileSync(big, 'x'.repeat(300 * 1024));
    await expect(read(big)).rejects.toMatchObject({ message: `cannot read key file ${big}: it is larger than 256 KiB, too large for a key` });
  });
});
