import type { Envelope, EventName, Events, MethodName } from '../../shared/contract';
import { ApiError } from './api-error';
import { apiFromCall, type Transport } from './transport';

/** What electron/preload.ts exposes as `window.clabPublisher`. */
export type Bridge = {
  [M in MethodName]: (params: unknown) => Promise<Envelope<unknown>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Tells the main process the page's listeners are in place, so queued events may flow. */
  ready?(): void;
};

declare global {
  interface Window {
    clabPublisher?: Bridge;
  }
}

/** The Electron preload bridge: always connected while the window lives. */
export function createBridgeTransport(bridge: Bridge): Transport {
  const call = async (method: MethodName, params: unknown) => {
    const fn = bridge[method];
    if (typeof fn !== 'function') throw new ApiError('method_not_found', `unknown method "${method}"`);
    const env = await fn(params);
    if (!env.ok) throw ApiError.fromRpc(env.error);
    return env.result;
  };
  return {
    kind: 'electron',
    api: apiFromCall(call, (event, listener) => bridge.on(event, listener)),
    onConnected(cb) {
      // Registered after every store subscribed to its events (see stores/sync.ts).
      bridge.ready?.();
      queueMicrotask(cb);
      return () => {};
    },
    onStatus(cb) {
      cb({ state: 'open' });
      return () => {};
    },
    retryNow() {},
  };
}
