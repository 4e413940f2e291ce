import fs from 'node:fs/promises';
import os from 'node:os';
import type { ConnectConfig } from 'ssh2';
import { HostError } from './host-errors';

/**
 * How to log in to a lab host: the ssh-agent (SSH_AUTH_SOCK) and/or a private key file read
 * on this machine at each connect, never kept or logged. Problems here need the user, so
 * they are `config` errors and nothing retries them.
 */
export async function loginConfig(o: { keyFile?: string; useAgent: boolean; where: string }): Promise<Pick<ConnectConfig, 'agent' | 'privateKey'>> {
  const out: Pick<ConnectConfig, 'agent' | 'privateKey'> = {};
  if (o.useAgent) {
    if (!process.env.SSH_AUTH_SOCK) throw new HostError('config', 'useAgent is on, but SSH_AUTH_SOCK is not set for clab-publisher', 'Start clab-publisher from a shell with a running ssh-agent, or set a key file.');
    out.agent = process.env.SSH_AUTH_SOCK;
  }
  if (o.keyFile) out.privateKey = await readKey(o.keyFile);
  if (!out.agent && !out.privateKey) throw new HostError('config', `no key to log in to ${o.where} with`, 'Set a key file, or turn on the ssh-agent.');
  return out;
}

async function readKey(file: string): Promise<Buffer> {
  const resolved = file.startsWith('~/') ? `${os.homedir()}${file.slice(1)}` : file;
  try {
    return await fs.readFile(resolved);
  } catch (err) {
    throw new HostError('config', `cannot read key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'Check the path: the key file is read on the machine running clab-publisher.');
  }
}
