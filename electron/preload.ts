/**
 * The page's only door to the core: `window.clabPublisher`, one function per contract method
 * plus `on(event)` and `ready()`. Runs sandboxed and context-isolated, so it may require only
 * 'electron'; everything else (the contract, zod) is bundled in by Vite. `ipcRenderer` itself is
 * never exposed, and the page never sees an IPC event object.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_NAMES, METHOD_NAMES, type Envelope, type EventName, type Events, type MethodName, type ParamsIn, type Result } from '../shared/contract';
import { EVENT_CHANNEL, READY_CHANNEL, RPC_CHANNEL_PREFIX } from './ipc-channels';

/** What `window.clabPublisher` offers. Methods resolve to the envelope; the renderer's client unwraps it. */
export type ClabPublisherBridge = {
  [M in MethodName]: (params?: ParamsIn<M>) => Promise<Envelope<Result<M>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Call once the page's listeners are subscribed; queued events follow. Optional: the first on() arms it too. */
  ready(): void;
};

const eventNames = new Set<string>(EVENT_NAMES);
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

// The main process holds events until the page says ready. A page that never calls ready()
// still gets them: the first subscription arms it, one task later, so that every listener
// registered in the same tick is in place before the queued events arrive.
let readySent = false;
let readyArmed = false;
function sendReady(): void {
  readySent = true;
  ipcRenderer.send(READY_CHANNEL);
}

ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== 'string' || !eventNames.has(name)) return;
  for (const l of listeners.get(name as EventName) ?? []) {
    try {
      l(payload);
    } catch (err) {
      console.error(`listener for ${name} failed`, err);
    }
  }
});

const methods = Object.fromEntries(
  METHOD_NAMES.map((name) => [name, (params?: unknown) => ipcRenderer.invoke(`${RPC_CHANNEL_PREFIX}${name}`, params)]),
);

const bridge = {
  ...methods,
  on(event: string, listener: unknown): () => void {
    if (typeof event !== 'string' || !eventNames.has(event)) throw new Error(`unknown event "${String(event)}"`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    const name = event as EventName;
    const set = listeners.get(name) ?? new Set();
    listeners.set(name, set);
    const l = listener as (payload: unknown) => void;
    set.add(l);
    if (!readySent && !readyArmed) {
      readyArmed = true;
      setTimeout(() => {
        if (!readySent) sendReady();
      }, 0);
    }
    return () => {
      set.delete(l);
    };
  },
  ready(): void {
    sendReady();
  },
} as unknown as ClabPublisherBridge;

contextBridge.exposeInMainWorld('clabPublisher', bridge);
