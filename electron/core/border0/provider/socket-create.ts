/**
 * Creating the socket: a name is unique in the organisation, so a 409 is either a socket this
 * installation left for the same lab (an earlier run, a delete that failed), which is
 * replaced, or someone else's, which is never taken over. And a socket the organisation set
 * up for end-to-end encryption or connector authentication is refused: every connection
 * would start with a TLS handshake this app does not do.
 */
import { AppError } from '../../../../shared/rpc-errors';
import type { Border0Api } from '../api/api-client';
import { Border0ApiError } from '../api/api-errors';
import type { Border0Socket, SocketCreate } from '../api/api-types';
import type { Logger } from '../../logs/logger';
import { isOurs, NODE_TAG, type Owner } from './socket-spec';

type SocketApi = Pick<Border0Api, 'createSocket' | 'findSocket' | 'deleteSocket'>;

export async function createOwnSocket(api: SocketApi, body: SocketCreate, owner: Owner, log: Logger): Promise<Border0Socket> {
  try {
    return await api.createSocket(body);
  } catch (err) {
    if (!(err instanceof Border0ApiError && err.status === 409)) throw err;
  }
  const existing = await api.findSocket(body.name);
  if (existing && !isOurs(existing.tags, owner)) throw foreignName(body.name, err409Owner(existing));
  const node = body.tags?.[NODE_TAG];
  if (existing && existing.tags[NODE_TAG] !== node) {
    throw new AppError(
      'conflict',
      `border0 socket name ${body.name} is already used by node ${existing.tags[NODE_TAG]} of lab ${owner.lab}`,
      `the node names differ only in characters border0 does not allow in names (${node} and ${existing.tags[NODE_TAG]}): rename one node, or publish the other port only`,
    );
  }
  if (existing) {
    await api.deleteSocket(existing.socket_id);
    log.info(`replaced socket ${existing.name} (${existing.socket_id}) left by an earlier run for lab ${owner.lab}`);
  }
  return api.createSocket(body);
}

/** What the service says about a socket the app cannot serve; undefined when it can. */
export function unservable(s: Border0Socket): AppError | undefined {
  const what = s.end_to_end_encryption_enabled ? 'end-to-end encryption' : s.connector_authentication_enabled ? 'connector authentication' : undefined;
  if (!what) return undefined;
  return new AppError(
    'refused',
    `border0 socket ${s.name} has ${what} on (set by your organisation): every connection would start with a TLS handshake clab-publisher does not do, so it does not carry this socket rather than pass garbled bytes`,
    `turn ${what} off for clab-publisher's sockets (or as the organisation's default) in the border0 portal, then publish again`,
  );
}

function err409Owner(s: Border0Socket): string {
  if (s.tags?.['clab-publisher'] === 'true') return 'another clab-publisher (another computer or data folder) made it';
  return 'it was made by hand or by another tool';
}

function foreignName(name: string, who: string): AppError {
  return new AppError(
    'conflict',
    `a border0 socket named ${name} already exists in your organisation and is not this app's (${who}): it is left alone`,
    `delete or rename that socket in the border0 portal if it is no longer used, or rename the lab`,
  );
}
