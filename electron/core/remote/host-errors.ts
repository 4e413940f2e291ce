import type { HostKeyCheck } from '../ssh/host-key-store';
import type { DockerProblem } from '../docker/docker-client';

/**
 * Why a lab host's SSH connection could not be made or was lost: what happened and what the
 * user can do, as LabHostStatus shows them. Host-key and set-up problems wait for the user;
 * everything else is retried with backoff.
 */
export type HostErrorKind = 'unreachable' | 'auth' | 'timeout' | 'lost' | 'config' | 'host-key';

export class HostError extends Error {
  constructor(
    readonly kind: HostErrorKind,
    message: string,
    readonly hint: string,
    readonly hostKey?: HostKeyCheck,
  ) {
    super(message);
    this.name = 'HostError';
  }

  get retryable(): boolean {
    return this.kind !== 'host-key' && this.kind !== 'config';
  }
}

type Ssh2Error = Error & { level?: string; code?: string | number; syscall?: string };

const NETWORK_HINT = 'Check that the host is up, sshd runs on that port and no firewall is in the way; retrying.';

/** Turns an ssh2 / socket error into a HostError; `ready` tells a lost link from a failed dial. */
export function classifyHostError(err: Error, where: string, user: string, useAgent: boolean, ready: boolean): HostError {
  if (err instanceof HostError) return err;
  const e = err as Ssh2Error;
  const cause = e.syscall && typeof e.code === 'string' ? `${e.syscall} ${e.code}` : e.message;
  switch (e.level) {
    case 'client-authentication':
      return new HostError('auth', `${where} refused the login of ${user}`, useAgent ? "Add the key to the ssh-agent, or put its public key in the user's ~/.ssh/authorized_keys on the host." : "Check keyFile, and that its public key is in the user's ~/.ssh/authorized_keys on the host.");
    case 'agent':
      return new HostError('auth', `the ssh-agent could not sign for ${user}@${where}: ${e.message}`, 'Check that ssh-agent runs (SSH_AUTH_SOCK) and holds the key (ssh-add -l).');
    case 'client-timeout':
      if (/keepalive/i.test(e.message)) return new HostError('lost', `${where} stopped answering (keepalive timeout)`, NETWORK_HINT);
      return new HostError('timeout', `${where} did not complete the SSH handshake in time`, NETWORK_HINT);
    case 'client-socket':
    case 'client-dns':
      return ready ? new HostError('lost', `lost the SSH connection to ${where}: ${cause}`, NETWORK_HINT) : new HostError('unreachable', `cannot reach ${where}: ${cause}`, NETWORK_HINT);
  }
  if (/before handshake/i.test(e.message)) return new HostError('unreachable', `${where} closed the connection before the SSH handshake`, NETWORK_HINT);
  return new HostError(ready ? 'lost' : 'unreachable', `SSH error with ${where}: ${e.message}`, NETWORK_HINT);
}

export function hostKeyError(where: string, check: HostKeyCheck): HostError {
  if (check.state === 'mismatch') {
    return new HostError(
      'host-key',
      `${where} presented host key ${check.fingerprint}, but ${check.trustedFingerprint} is the one trusted for it: connection refused`,
      'Someone may be intercepting the connection, or the host was reinstalled. Check its key with its administrator (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host); if the new key is right, remove the lab host and add it again.',
      check,
    );
  }
  return new HostError('host-key', `${where} presented an unknown host key ${check.fingerprint}`, 'Compare it with ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host, then trust it.', check);
}

/**
 * What a failed Docker call over the host's SSH connection means. The channel to Docker's
 * socket and `docker system dial-stdio` fail with little detail, so the hint names the usual
 * causes on the lab host.
 */
export function explainRemoteDockerError(user: string, err: unknown, endpoint: string, lost: boolean): DockerProblem {
  const detail = (err as Error)?.message ?? String(err);
  const error = `${lost ? 'lost the connection to' : 'cannot reach'} Docker at ${endpoint}: ${detail}`;
  if (/permission denied/i.test(detail)) {
    return { error, hint: `On the host, add ${user} to the docker group (sudo usermod -aG docker ${user}) so it may use /var/run/docker.sock.` };
  }
  // The docker CLI's own words; a bare "No such file" may be about anything (a home folder).
  if (/cannot connect to the docker daemon|docker\.sock: connect: no such file/i.test(detail)) {
    return { error, hint: 'Docker does not seem to run on the host: start it there (sudo systemctl start docker).' };
  }
  if (/docker: (command )?not found|docker: not found|command not found/i.test(detail)) {
    return { error, hint: `sshd would not open /var/run/docker.sock for ${user} and there is no docker CLI on the host's PATH: check that Docker runs there and that ${user} is in the docker group.` };
  }
  if (/not connected/i.test(detail)) return { error, hint: 'Waiting for the SSH connection to the host.' };
  return { error, hint: `Check on the host that Docker runs and that ${user} may use /var/run/docker.sock (docker group).` };
}
