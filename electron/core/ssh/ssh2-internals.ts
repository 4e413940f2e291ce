/**
 * The few ssh2 (1.17) internals the SSH layer needs, in one place, behind a shape check.
 * ssh2's public API can neither send a global request with a name of our choosing nor put a
 * signature algorithm other than the key's own type into a publickey request, and both are
 * needed (keepalive@border0.com; OpenSSH certificates). Everything here mirrors what ssh2's
 * own Protocol methods do (e.g. `ping()`), so packets go through its cipher, queueing during
 * re-keying and reply bookkeeping exactly like its own.
 */
import type { Client } from 'ssh2';
import { sshString } from './keys';

type SignCallback = (data: Buffer, send: (signature: Buffer) => void) => void;

export interface ProtocolInternals {
  authPK(username: string, key: unknown, keyAlgo?: string | SignCallback, cbSign?: SignCallback): void;
  _packetRW: { write: { allocStart: number; alloc(size: number): Buffer; finalize(packet: Buffer): Buffer } };
  _kexinit?: unknown;
  _queue?: Buffer[];
  _cipher: { encrypt(packet: Buffer): void };
  _authsQueue: string[];
}

/** Called with `true` for SSH_MSG_REQUEST_FAILURE, an Error when the connection closed first. */
type ReplyCallback = (failed: boolean | Error | undefined, data?: Buffer) => void;

interface ClientInternals {
  _protocol?: ProtocolInternals;
  _callbacks?: ReplyCallback[];
  _sock?: { writable?: boolean; destroy(): void };
}

const SSH_MSG_GLOBAL_REQUEST = 80;

/** The client's protocol object, once `connect()` made it; a clear error if ssh2 changed shape. */
export function protocolOf(client: Client): ProtocolInternals {
  const proto = (client as unknown as ClientInternals)._protocol;
  if (!proto || typeof proto.authPK !== 'function' || !proto._packetRW?.write || !Array.isArray(proto._authsQueue)) {
    throw new Error('this version of ssh2 is not the one electron/core/ssh was written for (1.17): its internals changed');
  }
  return proto;
}

/** Sends one message (payload = message number + fields), as ssh2's Protocol methods do. */
export function sendPayload(proto: ProtocolInternals, payload: Buffer): void {
  const w = proto._packetRW.write;
  const packet = w.alloc(payload.length);
  packet.set(payload, w.allocStart);
  const out = w.finalize(packet);
  // During a key exchange ssh2 holds packets back and sends them after NEWKEYS.
  if (proto._kexinit !== undefined) (proto._queue ??= []).push(out);
  else proto._cipher.encrypt(out);
}

/**
 * A global request with want-reply. The reply callback joins ssh2's own queue (forwardIn and
 * friends use it too) because the server answers global requests strictly in order.
 * `done(true)` = the server answered (success or failure both prove it is alive).
 */
export function globalRequest(client: Client, name: string, done: (answered: boolean) => void): boolean {
  const c = client as unknown as ClientInternals;
  if (!c._sock?.writable || !c._callbacks) return false;
  const proto = protocolOf(client);
  c._callbacks.push((failed) => done(!(failed instanceof Error)));
  sendPayload(proto, Buffer.concat([Buffer.from([SSH_MSG_GLOBAL_REQUEST]), sshString(name), Buffer.from([1])]));
  return true;
}

/** Cuts the TCP connection at once: `end()` waits for a server that may be frozen. */
export function destroySocket(client: Client): void {
  (client as unknown as ClientInternals)._sock?.destroy();
}
