import os from 'node:os';
import type { ConnectConfig } from 'ssh2';
import { readRegularFile } from '../util/regular-file';

/** An OpenSSH private key is a few KB (16384-bit RSA: about 12 KB). */
const MAX_KEY_FILE_BYTES = 256 * 1024;

/**
 * A private key file's bytes (`~/` is the home folder). The path is the user's choice, read
 * at each connect: only a small regular file is read, never a FIFO or a device.
 */
export function readKeyFile(file: string): Promise<Buffer> {
  const resolved = file.startsWith('~/') ? `${os.homedir()}${file.slice(1)}` : file;
  return readRegularFile(resolved, { maxBytes: MAX_KEY_FILE_BYTES });
}

/** Builds the caller's error for a set-up problem: what is wrong, and what to do. */
export type LoginProblem<E extends Error> = (message: string, hint: string) => E;

/**
 * How to log in over SSH (a relay, a lab host): the ssh-agent (SSH_AUTH_SOCK) and/or a
 * private key file read on this machine at each connect, never kept or logged. Problems here
 * need the user, so callers make them errors nothing retries.
 */
export async function loginConfig<E extends Error>(
  o: { keyFile?: string; useAgent: boolean; where: string },
  problem: LoginProblem<E>,
): Promise<Pick<ConnectConfig, 'agent' | 'privateKey'>> {
  const out: Pick<ConnectConfig, 'agent' | 'privateKey'> = {};
  if (o.useAgent) {
    if (!process.env.SSH_AUTH_SOCK) throw problem('useAgent is on, but SSH_AUTH_SOCK is not set for clab-publisher', 'Start clab-publisher from a shell with a running ssh-agent, or set a key file.');
    out.agent = process.env.SSH_AUTH_SOCK;
  }
  if (o.keyFile) out.privateKey = await readKey(o.keyFile, problem);
  if (!out.agent && !out.privateKey) throw problem(`no key to log in to ${o.where} with`, 'Set a key file, or turn on the ssh-agent.');
  return out;
}

async function readKey<E extends Error>(file: string, problem: LoginProblem<E>): Promise<Buffer> {
  try {
    return await readKeyFile(file);
  } catch (err) {
    throw problem(`cannot read key file ${file}: ${keyReadProblem(err)}`, 'Check the path: the key file is read on the machine running clab-publisher.');
  }
}

/** Why a key file could not be read, in a few words. */
export function keyReadProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOTREG') return e.message.replace(/^.* is /, 'it is ');
  if (e.code === 'EFBIG') return `it is larger than ${MAX_KEY_FILE_BYTES / 1024} KiB, too large for a key`;
  return e.code ?? e.message;
}
