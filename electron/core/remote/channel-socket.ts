import type { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';

/** The socket methods Node's HTTP client and agent call that an SSH channel does not have. */
const SOCKET_SHIMS = ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref'] as const;

/**
 * Makes an ssh2 channel behave like the TCP socket callers expect. `destroy()` then waiting
 * for 'close' is the usual way to hang up, but a channel emits 'close' only after its readable
 * side ended, which never happens while nobody reads it (a health probe that connects and
 * hangs up, an idle pooled HTTP connection): destroying also lets what is left drain, so
 * 'close' comes once sshd confirms. The methods sockets have and channels lack are no-ops.
 */
export function socketLike(ch: ClientChannel): ClientChannel {
  const destroy = ch.destroy.bind(ch);
  ch.destroy = () => {
    ch.resume();
    destroy();
    return ch;
  };
  const sock = ch as unknown as Duplex & Record<string, unknown>;
  for (const name of SOCKET_SHIMS) if (typeof sock[name] !== 'function') sock[name] = () => sock;
  return ch;
}
