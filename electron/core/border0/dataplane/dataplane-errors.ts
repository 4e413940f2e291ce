/**
 * Why the tunnel connection failed or was lost, in words a network engineer can act on.
 * `retryable` decides between backing off and trying again, and giving up until the user acts.
 */
import { describeCert, type CertInfo } from '../../ssh/certificate';
import { ProxyError } from '../../ssh/http-connect';

export type DataplaneErrorKind = 'credentials' | 'proxy' | 'unreachable' | 'timeout' | 'host-key' | 'auth' | 'forward' | 'lost' | 'keepalive';

export class DataplaneError extends Error {
  constructor(
    readonly kind: DataplaneErrorKind,
    message: string,
    /** By default only a wrong host key and a refused certificate need a person: retrying cannot fix them. */
    readonly retryable = kind !== 'host-key' && kind !== 'auth',
  ) {
    super(message);
    this.name = 'DataplaneError';
  }
}

type Ssh2Error = Error & { level?: string; code?: string | number };

export interface FailureContext {
  /** `host:port` of the tunnel server. */
  server: string;
  username: string;
  cert?: CertInfo;
  /** Set when the host key check ran and refused. */
  hostKey?: { presented: string; expected: string };
  /** The SSH handshake and login had completed. */
  ready: boolean;
}

export function hostKeyMismatch(server: string, presented: string, expected: string): DataplaneError {
  return new DataplaneError(
    'host-key',
    `tunnel server ${server} presented host key ${presented}, but the border0 API said it is ${expected}: connection refused before logging in ` +
      '(someone may be intercepting the connection, or the tunnel server setting points at another server)',
  );
}

export function classify(err: Error, c: FailureContext): DataplaneError {
  if (err instanceof DataplaneError) return err;
  // A refused proxy login, or a proxy certificate nobody trusts, stays so until someone fixes the URL.
  if (err instanceof ProxyError) return new DataplaneError('proxy', err.message, !err.permanent);
  if (c.hostKey) return hostKeyMismatch(c.server, c.hostKey.presented, c.hostKey.expected);
  const e = err as Ssh2Error;
  switch (e.level) {
    case 'client-authentication': {
      const what = c.cert ? ` (${describeCert(c.cert)})` : '';
      return new DataplaneError(
        'auth',
        `tunnel server ${c.server} refused the certificate for user ${c.username}${what}: it is not signed by a CA the server trusts, not issued for this user, or expired`,
      );
    }
    case 'client-timeout':
      return new DataplaneError('timeout', `tunnel server ${c.server} did not complete the SSH handshake in time`);
    case 'client-socket':
    case 'client-dns': {
      const cause = typeof e.code === 'string' ? e.code : e.message;
      return c.ready
        ? new DataplaneError('lost', `connection to tunnel server ${c.server} lost: ${cause}`)
        : new DataplaneError('unreachable', `cannot reach tunnel server ${c.server}: ${cause}`);
    }
  }
  return new DataplaneError(c.ready ? 'lost' : 'unreachable', `SSH error with tunnel server ${c.server}: ${e.message}`);
}

/** Errors from `credentials()` (the sign-key call): retried unless they say otherwise. */
export function credentialsError(err: Error): DataplaneError {
  if (err instanceof DataplaneError) return err;
  const retryable = (err as { retryable?: unknown }).retryable !== false;
  return new DataplaneError('credentials', `could not get a certificate from border0: ${err.message}`, retryable);
}
