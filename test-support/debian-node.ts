import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type { LabNodeSpec } from './lab-containers';

/** Debian bookworm with openssh-server, built by scripts/build-debian-node-image.sh. */
export const DEBIAN_IMAGE = 'clab-publisher-debian-node:latest';

export interface SshClientKey {
  dir: string;
  /** Private key file for `ssh -i`. */
  keyPath: string;
  publicKey: string;
  remove(): void;
}

/** A fresh ed25519 key pair for the test's OpenSSH client. */
export function makeClientKey(): SshClientKey {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-e2e-sshkey-'));
  const keyPath = path.join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'clab-publisher-e2e', '-f', keyPath]);
  return { dir, keyPath, publicKey: fs.readFileSync(`${keyPath}.pub`, 'utf8').trim(), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A lab node running a real sshd: host keys made at start (never baked into the image), the
 * test's public key authorised for root, sshd in the foreground as the container's process.
 * With `rootPassword`, root may also log in with that password (set at start, not in the image).
 */
export function debianSshNode(name: string, publicKey: string, kind = 'linux', opts: { rootPassword?: string; sshdOptions?: string[] } = {}): LabNodeSpec {
  const password = opts.rootPassword !== undefined;
  // Extra `-o` options (e.g. MaxStartups for a class opening many sessions at once).
  const extra = (opts.sshdOptions ?? []).map((o) => ` -o ${o}`).join('');
  const script = [
    'set -e',
    'ssh-keygen -A >/dev/null',
    'mkdir -p /run/sshd /root/.ssh',
    'printf "%s\\n" "$AUTHORIZED_KEY" > /root/.ssh/authorized_keys',
    'chmod 700 /root/.ssh && chmod 600 /root/.ssh/authorized_keys',
    ...(password ? ['echo "root:$ROOT_PASSWORD" | chpasswd'] : []),
    password
      ? `exec /usr/sbin/sshd -D -e -o PasswordAuthentication=yes -o PermitRootLogin=yes${extra}`
      : `exec /usr/sbin/sshd -D -e -o PasswordAuthentication=no -o PermitRootLogin=prohibit-password${extra}`,
  ].join('\n');
  const env = [`AUTHORIZED_KEY=${publicKey}`, ...(password ? [`ROOT_PASSWORD=${opts.rootPassword}`] : [])];
  return { name, kind, cmd: ['/bin/sh', '-c', script], env };
}

/** Runs `cmd` in the container and resolves with its stdout once it ended. */
async function runIn(containerId: string, cmd: string[], docker: Docker): Promise<string> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.demuxStream(stream, { write: (b: Buffer) => out.push(b) } as unknown as NodeJS.WritableStream, process.stderr);
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  return Buffer.concat(out).toString('utf8');
}

/** The node's ed25519 host key (`ssh-ed25519 AAAA...`), read from the container after start. */
export async function hostKeyOf(containerId: string, docker = new Docker()): Promise<string> {
  const line = (await runIn(containerId, ['cat', '/etc/ssh/ssh_host_ed25519_key.pub'], docker)).trim();
  const m = /^(ssh-ed25519 \S+)/.exec(line);
  if (!m) throw new Error(`no ed25519 host key in container ${containerId.slice(0, 12)}: ${line.slice(0, 200)}`);
  return m[1];
}

/**
 * New host keys in the same container, as after someone regenerated them on the node: sshd
 * re-executes for each connection, so new connections are answered with them.
 */
export async function renewHostKeys(containerId: string, docker = new Docker()): Promise<void> {
  const out = await runIn(containerId, ['/bin/sh', '-c', 'rm -f /etc/ssh/ssh_host_* && ssh-keygen -A >/dev/null && echo renewed'], docker);
  if (!out.includes('renewed')) throw new Error(`could not renew the host keys of container ${containerId.slice(0, 12)}: ${out.slice(0, 200)}`);
}
