import type { WebSocket } from 'ws';
import type { EventName, Events } from '../../shared/contract';
import { EVENT_NAMES } from '../../shared/contract';
import { JSON_RPC_CODES } from '../../shared/rpc-errors';
import type { Core } from '../core/app-core-types';
import type { HostLimits } from './host-limits';
import { ClientSendQueue } from './send-queue';

type Id = string | number | null;

/** JSON-RPC 2.0 allows a string, a number or null as id (absent: a notification). */
const validId = (id: unknown): id is Id | undefined => id === undefined || id === null || typeof id === 'string' || typeof id === 'number';

const rpcError = (id: Id, code: number, message: string, data?: unknown) => ({ jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } });

/** Why a parsed frame is not a request we run, or undefined when it is one. */
function invalid(m: unknown): string | undefined {
  if (Array.isArray(m)) return 'batches are not supported: send one request per frame';
  if (!m || typeof m !== 'object') return 'expected a JSON object {"jsonrpc":"2.0","id":…,"method":"…","params":{…}}';
  const r = m as Record<string, unknown>;
  if (!validId(r.id)) return 'the id must be a string, a number or null';
  if (r.jsonrpc !== '2.0') return '"jsonrpc" must be "2.0"';
  if (typeof r.method !== 'string') return '"method" must be a string';
  return undefined;
}

/**
 * JSON-RPC 2.0 over one WebSocket: requests go through the core's one dispatch wrapper
 * (schema validation included); every contract event is a notification, sent through the
 * client's send queue (backpressure, coalescing). Nothing a client sends can throw out of
 * here: the worst a frame can do is close its own connection.
 */
export function attachRpc(ws: WebSocket, { core, limits, peer, say }: { core: Core; limits: HostLimits; peer: string; say: (line: string) => void }): void {
  const queue = new ClientSendQueue(
    {
      bufferedAmount: () => ws.bufferedAmount,
      send: (text) => ws.readyState === ws.OPEN && ws.send(text),
      pauseReading: () => ws.pause(),
      resumeReading: () => ws.resume(),
      closeStuck: (reason) => {
        ws.close(1008, reason);
        // The close frame waits behind the unread bytes: a client that reads nothing never gets
        // it, so the connection is cut shortly after.
        setTimeout(() => ws.terminate(), Math.min(limits.stuckMs, 5_000)).unref();
      },
      say: (line) => say(`${line} (${peer})`),
    },
    limits,
  );
  const unsubs = EVENT_NAMES.map((name: EventName) =>
    core.events.on(name, (payload: Events[EventName]) => {
      try {
        queue.event(name, payload);
      } catch (err) {
        // A failing client must not break the core's emitter for the others.
        say(`could not send ${name} to an API client (${peer}): ${(err as Error).message}`);
      }
    }),
  );
  // ws has already closed the connection with the matching code (1009 too large, 1007 bad
  // UTF-8, 1002 protocol error); without a listener this error would end the process.
  ws.on('error', (err) => say(`closed an API client (${peer}): ${err.message}`));
  ws.on('close', () => {
    unsubs.forEach((u) => u());
    queue.dispose();
  });
  let inFlight = 0;
  ws.on('message', (data, isBinary) => {
    void onMessage(data.toString(), isBinary).catch((err: Error) => say(`an API request failed unexpectedly (${peer}): ${err.message}`));
  });

  async function onMessage(text: string, isBinary: boolean): Promise<void> {
    let msg: unknown;
    try {
      if (isBinary) throw new Error('binary');
      msg = JSON.parse(text);
    } catch {
      return queue.answer(rpcError(null, -32700, 'parse error: send one JSON-RPC 2.0 request as a text frame'));
    }
    const why = invalid(msg);
    const req = msg as { id?: Id; method: string; params?: unknown };
    if (why) return queue.answer(rpcError(validId(req?.id) ? (req.id ?? null) : null, -32600, `invalid request: ${why}`));
    if (inFlight >= limits.maxInFlight) {
      if (req.id === undefined) return;
      return queue.answer(rpcError(req.id, JSON_RPC_CODES.rate_limited, `too many requests at once (${limits.maxInFlight}): wait for answers before sending more`));
    }
    inFlight++;
    let env: Awaited<ReturnType<Core['dispatch']>>;
    try {
      env = await core.dispatch(req.method, req.params);
    } catch (err) {
      // dispatch turns handler errors into envelopes; this is for what it did not foresee.
      env = { ok: false, error: { code: 'internal', message: `${req.method} failed: ${(err as Error)?.message ?? String(err)}` } };
    } finally {
      inFlight--;
    }
    if (req.id === undefined) return; // a notification from the client: no answer
    try {
      if (env.ok) queue.answer({ jsonrpc: '2.0', id: req.id, result: env.result });
      else queue.answer(rpcError(req.id, JSON_RPC_CODES[env.error.code], env.error.message, env.error));
    } catch (err) {
      queue.answer(rpcError(req.id, JSON_RPC_CODES.internal, `${req.method}: the answer could not be sent (${(err as Error).message})`));
    }
  }
}
