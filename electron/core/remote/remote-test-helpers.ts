/**
 * A second lab host for integration tests: this machine again, reached through a loopback
 * sshd (e2e/fixtures/sshd.ts) as a user in the `docker` group. sshd's AuthorizedKeysFile is
 * per server, so the fixture's client key logs in as this user too.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startSshd, type StartSshdOptions, type TestSshd } from '../../../e2e/fixtures/sshd';
import { dockerOptions } from '../docker/docker-client';

const run = promisify(execFile);
export const LAB_HOST_USER = 'clablabhost';

export interface LabHostSshd extends TestSshd {
  labUser: string;
  url: string;
  /** What the sftp server did (open, rename, ...), one line each, for tests to check. */
  sftpLog: string;
}

const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

export async function startLabHostSshd(opts: StartSshdOptions = {}): Promise<LabHostSshd> {
  await ensureLabHostUser();
  // sftp-server logs to stderr with -e, which sshd would hand to the client: a wrapper keeps
  // it in a file instead (the fixture's folder is traversable, the log writable by the user).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-sftp-'));
  fs.chmodSync(dir, 0o755);
  const sftpLog = path.join(dir, 'sftp.log');
  fs.writeFileSync(sftpLog, '', { mode: 0o666 });
  fs.chmodSync(sftpLog, 0o666);
  const wrapper = path.join(dir, 'sftp-server');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${SFTP_SERVER} -e -l VERBOSE 2>>${sftpLog}\n`, { mode: 0o755 });
  const sshd = await startSshd({ ...opts, extraConfig: `Subsystem sftp ${wrapper}\n${opts.extraConfig ?? ''}` });
  sftpDirs.set(sshd, dir);
  return Object.assign(sshd, { labUser: LAB_HOST_USER, url: `ssh://${LAB_HOST_USER}@127.0.0.1:${sshd.port}`, sftpLog });
}

const sftpDirs = new WeakMap<TestSshd, string>();

export async function stopLabHostSshd(sshd: LabHostSshd | undefined): Promise<void> {
  if (!sshd) return;
  await sshd.stop();
  fs.rmSync(sshd.dir, { recursive: true, force: true });
  const sftp = sftpDirs.get(sshd);
  if (sftp) fs.rmSync(sftp, { recursive: true, force: true });
}

/** The sftp server's log since `from` (its size when the test began). */
export function sftpLogSince(sshd: LabHostSshd, from: number): string {
  return fs.readFileSync(sshd.sftpLog, 'utf8').slice(from);
}

/**
 * The login the lab host is reached as: may use Docker (docker group, a group-accessible
 * socket, as a containerlab user's machine has), has a home for the docker CLI's config.
 * The user stays after the tests; creating it is idempotent.
 */
async function ensureLabHostUser(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the lab host tests need root: they create a user and run sshd');
  await run('groupadd', ['-f', 'docker']);
  const exists = async () => run('id', ['-u', LAB_HOST_USER]).then(() => true, () => false);
  if (!(await exists())) {
    await run('useradd', ['-m', '-s', '/bin/sh', '-G', 'docker', LAB_HOST_USER]).catch(async (err) => {
      if (!(await exists())) throw err;
    });
  }
  const groups = (await run('id', ['-nG', LAB_HOST_USER])).stdout.split(/\s+/);
  if (!groups.includes('docker')) await run('usermod', ['-aG', 'docker', LAB_HOST_USER]);
  // Without PAM, sshd refuses a locked account ('!' in shadow); '*' means "no password" only.
  const shadow = await run('getent', ['shadow', LAB_HOST_USER]).then((r) => r.stdout.split(':')[1], () => '');
  if (shadow !== '*') await run('usermod', ['-p', '*', LAB_HOST_USER]);
  // A dockerd started before the group existed made its socket root:root.
  const socket = dockerOptions(undefined).socketPath as string;
  const st = fs.statSync(socket);
  const gid = Number((await run('getent', ['group', 'docker'])).stdout.split(':')[2]);
  if (st.gid !== gid) fs.chownSync(socket, st.uid, gid);
  if ((st.mode & 0o060) !== 0o060) fs.chmodSync(socket, (st.mode & 0o777) | 0o060);
}

/**
 * Freezes sshd and every session it forked (SIGSTOP), like a host that hangs without closing
 * its TCP connections; the returned function thaws them.
 */
export function freezeSshd(sshd: TestSshd): () => void {
  const listener = Number(fs.readFileSync(path.join(sshd.dir, 'sshd.pid'), 'utf8'));
  const pids = [listener, ...descendants(listener)];
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone meanwhile
      }
    }
  };
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name is in parentheses and may itself contain spaces or ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: number[] = [];
  for (const queue = [root]; queue.length; ) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** Makes `path` belong to the lab host user (files the host's user reads and writes back). */
export async function giveToLabHostUser(path: string): Promise<void> {
  await run('chown', ['-R', `${LAB_HOST_USER}:${LAB_HOST_USER}`, path]);
}
