import type { HostKeyCheck } from '../../ssh/host-key-store';

/**
 * Why the relay connection could not be made or was lost, in words a network engineer can
 * act on. `kind` decides what the provider does next: host-key and config problems wait for
 * the user, everything else is retried.
 */
export type RelayErrorKind = 'unreachable' | 'auth' | 'timeout' | 'lost' | 'config' | 'host-key';

export class RelayError extends Error {
  constructor(
    readonly kind: RelayErrorKind,
    message: string,
    /** Set for `host-key`: what the relay presented and what was trusted. */
    readonly hostKey?: HostKeyCheck,
  ) {
    super(message);
    this.name = 'RelayError';
  }

  get retryable(): boolean {
    return this.kind !== 'host-key' && this.kind !== 'config';
  }
}

export interface RelayAddress {
  host: string;
  port: number;
  user: string;
  useAgent: boolean;
}

type Ssh2Error = Error & { level?: string; code?: string | number; syscall?: string };

/** Turns an ssh2 / socket error into a RelayError; `ready` tells a lost link from a failed dial. */
export function classify(err: Error, to: RelayAddress, ready: boolean): RelayError {
  if (err instanceof RelayError) return err;
  const where = `${to.host}:${to.port}`;
  const e = err as Ssh2Error;
  const cause = e.syscall && typeof e.code === 'string' ? `${e.syscall} ${e.code}` : e.message;
  switch (e.level) {
    case 'client-authentication':
      return new RelayError('auth', `relay rejected the key for user ${to.user}: check ${to.useAgent ? "the agent's keys" : 'keyFile'} / authorized_keys`);
    case 'agent':
      return new RelayError('auth', `the ssh-agent (SSH_AUTH_SOCK) could not sign for user ${to.user}: ${e.message}`);
    case 'client-timeout':
      if (/keepalive/i.test(e.message)) return new RelayError('lost', `relay ${where} stopped answering (keepalive timeout)`);
      return new RelayError('timeout', `relay ${where} did not complete the SSH handshake in time (no answer: is it up, or does a firewall drop the packets?)`);
    case 'client-socket':
    case 'client-dns':
      return ready
        ? new RelayError('lost', `connection to relay ${where} lost: ${cause}`)
        : new RelayError('unreachable', `cannot reach relay ${where}: ${cause}`);
  }
  if (/before handshake/i.test(e.message)) return new RelayError('unreachable', `relay ${where} closed the connection before the SSH handshake`);
  return new RelayError(ready ? 'lost' : 'unreachable', `SSH error with relay ${where}: ${e.message}`);
}

export function hostKeyError(where: string, check: HostKeyCheck): RelayError {
  if (check.state === 'mismatch') {
    return new RelayError(
      'host-key',
      `relay ${where} presented host key ${check.fingerprint}, but ${check.trustedFingerprint} is the one trusted for it: ` +
        'someone may be intercepting the connection, or the relay was reinstalled. Connection refused. ' +
        "Check the relay's key with its administrator (ssh-keygen -lf on the relay), then forget the stored key in Providers and trust the new one.",
      check,
    );
  }
  return new RelayError('host-key', `confirm the relay's host key ${check.fingerprint} in Providers`, check);
}

/** The relay answers a refused tcpip-forward with no reason at all: say what usually causes it. */
export function forwardRefused(port: number): string {
  const what = port ? `listen on port ${port}` : 'open a remote forward';
  return `the relay refused to ${what} (it may be in use, or remote forwarding is disabled in sshd_config: AllowTcpForwarding / GatewayPorts)`;
}
