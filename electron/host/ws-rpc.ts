import type { WebSocket } from 'ws';
import type { EventName, Events } from '../../shared/contract';
import { EVENT_NAMES } from '../../shared/contract';
import { JSON_RPC_CODES } from '../../shared/rpc-errors';
import type { Core } from '../core/app-core-types';

/** Above this many unsent bytes a slow client gets no more events until it catches up. */
const MAX_BUFFERED = 8 * 1024 * 1024;

interface Request {
  jsonrpc: '2.0';
  id?: string | number | null;
  method: string;
  params?: unknown;
}

function isRequest(m: unknown): m is Request {
  const r = m as Request;
  return !!r && typeof r === 'object' && r.jsonrpc === '2.0' && typeof r.method === 'string';
}

/**
 * JSON-RPC 2.0 over one WebSocket: requests go through the core's one dispatch wrapper
 * (schema validation included); every contract event is a notification.
 */
export function attachRpc(ws: WebSocket, core: Core): void {
  const send = (msg: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const unsubs = EVENT_NAMES.map((name: EventName) =>
    core.events.on(name, (payload: Events[EventName]) => {
      // Logs can burst; other events are small and must not be dropped.
      if (name === 'logs.appended' && ws.bufferedAmount > MAX_BUFFERED) return;
      send({ jsonrpc: '2.0', method: name, params: payload });
    }),
  );
  ws.on('close', () => unsubs.forEach((u) => u()));
  ws.on('message', async (data, isBinary) => {
    let msg: unknown;
    try {
      if (isBinary) throw new Error('binary');
      msg = JSON.parse(data.toString());
    } catch {
      return send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error: send one JSON-RPC 2.0 request as a text frame' } });
    }
    if (!isRequest(msg)) {
      const id = (msg as { id?: unknown })?.id ?? null;
      return send({ jsonrpc: '2.0', id, error: { code: -32600, message: 'invalid request: expected {"jsonrpc":"2.0","id":…,"method":"…","params":{…}}' } });
    }
    const env = await core.dispatch(msg.method, msg.params);
    if (msg.id === undefined) return; // a notification from the client: no answer
    if (env.ok) send({ jsonrpc: '2.0', id: msg.id, result: env.result });
    else send({ jsonrpc: '2.0', id: msg.id, error: { code: JSON_RPC_CODES[env.error.code], message: env.error.message, data: env.error } });
  });
}
