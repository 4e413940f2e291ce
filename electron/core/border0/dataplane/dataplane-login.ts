/**
 * Dial and log in: TCP (or HTTP CONNECT through the proxy), the SSH handshake with the host
 * key pinned to the one the API gave, then the certificate login. Every failure comes out as
 * a DataplaneError that says which of those steps went wrong.
 */
import type { Client } from 'ssh2';
import { classify, DataplaneError, type FailureContext } from './dataplane-errors';
import { connectViaProxy } from '../../ssh/http-connect';
import { certAuth, pinnedHostKey } from '../../ssh/cert-auth';
import { APP_NAME, APP_VERSION } from '../../../../shared/app-info';

/**
 * What the client says it is in the SSH banner (`SSH-2.0-<this>`): the app and its version,
 * as the border0 CLI names itself (`Border0-<version>`). RFC 4253 allows no `-` there.
 */
export const CLIENT_IDENT = `${APP_NAME.replace(/-/g, '_')}_${APP_VERSION}`;

export interface SessionCredentials {
  privateKey: string;
  certificate: string;
  /** Base64 wire-format host key from the sign-key answer. */
  hostKey: string;
}

export interface LoginTarget {
  server: { host: string; port: number };
  username: string;
  creds: SessionCredentials;
  proxy?: string;
  readyTimeoutMs: number;
  /** Aborted by close(): stops a proxy dial, or a login that has not begun. */
  signal: AbortSignal;
  /** ssh2 was handed the connection: from now on it will emit 'close'. */
  onDial(): void;
}

/** Resolves once the client is 'ready' (logged in); `ctx` gathers what explains a failure. */
export async function login(client: Client, t: LoginTarget, ctx: FailureContext): Promise<void> {
  let auth: ReturnType<typeof certAuth>;
  let pin: ReturnType<typeof pinnedHostKey>;
  try {
    auth = certAuth(t.username, t.creds);
    pin = pinnedHostKey(t.creds.hostKey);
  } catch (err) {
    throw new DataplaneError('credentials', `the certificate border0 returned cannot be used: ${(err as Error).message}`);
  }
  ctx.cert = auth.cert;
  const sock = t.proxy
    ? await connectViaProxy(t.proxy, t.server, { signal: t.signal, timeoutMs: t.readyTimeoutMs }).catch((err: Error) => Promise.reject(classify(err, ctx)))
    : undefined;
  if (t.signal.aborted) {
    sock?.destroy();
    throw new DataplaneError('lost', 'closed while connecting');
  }
  let failure: Error | undefined;
  const onError = (err: Error) => void (failure ??= err);
  client.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('close', () => {
        const shown = pin.presented();
        const expected = `${pin.expected.fingerprint} (${pin.expected.algorithm})`;
        if (shown && !shown.matches) ctx.hostKey = { presented: `${shown.fingerprint} (${shown.algorithm})`, expected };
        // Only the pinned key's type was offered: a server without such a key cannot be the right one.
        if (!shown && /no matching host key/i.test(failure?.message ?? '')) ctx.hostKey = { presented: `no ${pin.expected.algorithm} key at all`, expected };
        reject(classify(failure ?? new Error('the server closed the connection during the SSH handshake'), ctx));
      });
      t.onDial();
      client.connect({
        host: t.server.host,
        port: t.server.port,
        sock,
        username: t.username,
        authHandler: auth.authHandler,
        hostVerifier: pin.hostVerifier,
        algorithms: { serverHostKey: pin.serverHostKey as never },
        readyTimeout: t.readyTimeoutMs,
        ident: CLIENT_IDENT,
      });
      auth.install(client);
    });
  } finally {
    client.removeListener('error', onError);
  }
  ctx.ready = true;
}
