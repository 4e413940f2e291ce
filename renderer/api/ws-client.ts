import type { ErrorCode, MethodName } from '../../shared/contract';
import { ApiError, notConnected } from './api-error';
import { takePageToken } from './page-token';
import { apiFromCall, EventHub, type ConnectionStatus, type Transport } from './transport';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface RpcMessage {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: { code?: ErrorCode; field?: string; hint?: string } };
}

const TOKEN_CLOSE_CODE = 4401;
const MAX_DELAY_MS = 10_000;
export const RELOAD_HINT = 'Open the address printed by `clab-publisher serve` (it carries ?token=…); the token changes on every start.';

/**
 * JSON-RPC 2.0 over the headless host's `/api` WebSocket, reconnecting with backoff. The token
 * comes from the page address once, then from this tab's storage (see page-token.ts).
 */
export function createWsTransport(loc: Pick<Location, 'protocol' | 'host'> = window.location, token: string | null = takePageToken()): Transport {
  const hub = new EventHub();
  const connected = new Set<() => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const pending = new Map<number, Pending>();
  const url = `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api?token=${encodeURIComponent(token ?? '')}`;
  let ws: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let status: ConnectionStatus = { state: 'connecting' };

  const setStatus = (s: ConnectionStatus) => {
    status = s;
    for (const l of statusListeners) l(s);
  };

  const failPending = () => {
    for (const p of pending.values()) p.reject(new ApiError('unavailable', 'The connection to the host was lost before it answered', 'Check whether the action took effect once the app has reconnected.'));
    pending.clear();
  };

  const scheduleRetry = (detail: string) => {
    const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** attempt) * (0.8 + Math.random() * 0.4);
    attempt++;
    setStatus({ state: 'lost', retryAt: Date.now() + delay, detail });
    clearTimeout(timer);
    timer = setTimeout(connect, delay);
  };

  /**
   * A refused upgrade shows up as close code 1006 only. Ask over plain HTTP: a 401/403 names
   * the token; a host that answers HTTP yet keeps refusing the upgrade is refusing it too
   * (it does that only for a wrong token or origin); no answer means the host is down.
   */
  let refusedInARow = 0;
  const upgradeRefused = async (): Promise<boolean> => {
    try {
      const res = await fetch(`/api?token=${encodeURIComponent(token ?? '')}`, { cache: 'no-store' });
      refusedInARow++;
      return res.status === 401 || res.status === 403 || refusedInARow >= 3;
    } catch {
      refusedInARow = 0;
      return false;
    }
  };

  function connect() {
    clearTimeout(timer);
    if (!token) {
      setStatus({ state: 'unauthorized', detail: 'The page address has no access token.' });
      return;
    }
    // While lost, keep saying so (without a countdown: the attempt is running now).
    setStatus(status.state === 'lost' ? { state: 'lost', detail: status.detail } : { state: 'connecting' });
    let opened = false;
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      opened = true;
      attempt = 0;
      refusedInARow = 0;
      setStatus({ state: 'open' });
      for (const cb of connected) cb();
    };
    sock.onmessage = (ev) => onMessage(String(ev.data));
    sock.onclose = async (ev) => {
      if (ws !== sock) return;
      ws = null;
      failPending();
      if (ev.code === TOKEN_CLOSE_CODE || (!opened && (await upgradeRefused()))) {
        setStatus({ state: 'unauthorized', detail: 'The host refused the access token this tab was opened with.' });
        return;
      }
      // The host says why when it closes on purpose (too many clients 1013, a client that reads
      // nothing 1008): that tells the user what to do, where "lost" would not.
      if (ev.reason) scheduleRetry(`The host closed the connection: ${ev.reason}.`);
      else scheduleRetry(opened ? 'The connection to the host was lost.' : 'The host does not answer.');
    };
  }

  function onMessage(text: string) {
    let msg: RpcMessage;
    try {
      msg = JSON.parse(text) as RpcMessage;
    } catch {
      return;
    }
    if (typeof msg.id === 'number' && pending.has(msg.id)) {
      const p = pending.get(msg.id)!;
      pending.delete(msg.id);
      if (msg.error) {
        const d = msg.error.data ?? {};
        p.reject(new ApiError(d.code ?? 'internal', msg.error.message, d.hint, d.field));
      } else p.resolve(msg.result);
    } else if (typeof msg.method === 'string' && msg.id === undefined) {
      hub.emit(msg.method, msg.params);
    }
  }

  function call(method: MethodName, params: unknown): Promise<unknown> {
    const sock = ws;
    if (!sock || sock.readyState !== WebSocket.OPEN) return Promise.reject(notConnected());
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      sock.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  connect();
  return {
    kind: 'websocket',
    api: apiFromCall(call, hub.on.bind(hub)),
    onConnected(cb) {
      connected.add(cb);
      return () => connected.delete(cb);
    },
    onStatus(cb) {
      statusListeners.add(cb);
      cb(status);
      return () => statusListeners.delete(cb);
    },
    retryNow() {
      if (ws) return;
      attempt = 0;
      refusedInARow = 0;
      connect();
    },
  };
}
