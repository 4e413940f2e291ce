import type { Api, EventName, Events, MethodName } from '../../shared/contract';

export type ConnectionState = 'connecting' | 'open' | 'lost' | 'unauthorized';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Epoch ms of the next reconnect attempt while lost. */
  retryAt?: number;
  detail?: string;
}

/** One way of reaching the core: Electron's preload bridge or the headless host's WebSocket. */
export interface Transport {
  kind: 'electron' | 'websocket';
  api: Api;
  /** Called after every (re)connect, when everything should be fetched again. */
  onConnected(cb: () => void): () => void;
  onStatus(cb: (s: ConnectionStatus) => void): () => void;
  /** Try to reconnect now instead of waiting for the backoff. */
  retryNow(): void;
}

type Listener = (payload: unknown) => void;

/** Event fan-out shared by both transports. */
export class EventHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  emit(event: string, payload: unknown): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch (err) {
        console.error(`listener for ${event} failed`, err);
      }
    }
  }
}

/**
 * The typed Api over a generic `call`. A Proxy keeps the method list in shared/contract.ts
 * only, without pulling the zod schemas into the renderer bundle.
 */
export function apiFromCall(
  call: (method: MethodName, params: unknown) => Promise<unknown>,
  on: Api['on'],
): Api {
  const cache = new Map<string, unknown>();
  return new Proxy({} as Api, {
    get(_target, prop) {
      if (prop === 'on') return on;
      // Not a thenable, and no symbol lookups as methods.
      if (typeof prop !== 'string' || prop === 'then' || prop === 'toJSON') return undefined;
      let fn = cache.get(prop);
      if (!fn) {
        fn = (params: unknown) => call(prop as MethodName, params ?? {});
        cache.set(prop, fn);
      }
      return fn;
    },
  });
}
