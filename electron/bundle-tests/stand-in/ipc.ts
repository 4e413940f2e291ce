/**
 * STAND-IN for Electron's ipcMain, and for the ipcRenderer and contextBridge a preload sees
 * (see world.ts). Arguments cross by structured clone, as in Electron; the sender and frame
 * the main process sees are the page's web contents and frame, or whatever a test forges.
 */
import { EventEmitter } from 'node:events';
import type { Frame, StandInWebContents } from './windows';
import type { World } from './world';

export interface IpcEventLike {
  sender: StandInWebContents | { id: number };
  senderFrame: Frame | null;
}

type Handler = (event: IpcEventLike, ...args: unknown[]) => unknown;

export class StandInIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>();

  constructor(private readonly world: World) {
    super();
  }

  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
    this.world.changed();
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** Test side: an `ipcRenderer.invoke` arriving from `event.sender` / `event.senderFrame`. */
  async invoke(channel: string, event: IpcEventLike, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    return structuredClone(await h(event, ...structuredClone(args)));
  }
}

/** What a preload loaded into `wc` gets as `ipcRenderer` and `contextBridge`. */
export function rendererSide(world: World, ipcMain: StandInIpcMain, wc: StandInWebContents) {
  const event = (): IpcEventLike => ({ sender: wc, senderFrame: wc.mainFrame });
  const exposed: Record<string, unknown> = {};
  return {
    /** What the page's `window` got from exposeInMainWorld. */
    exposed,
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => ipcMain.invoke(channel, event(), ...args),
      send: (channel: string, ...args: unknown[]) => {
        ipcMain.emit(channel, event(), ...structuredClone(args));
        world.changed();
      },
      on: (channel: string, listener: (e: unknown, ...args: unknown[]) => void) => {
        const set = wc.rendererListeners.get(channel) ?? new Set();
        wc.rendererListeners.set(channel, set);
        set.add(listener);
      },
      removeListener: (channel: string, listener: (e: unknown, ...args: unknown[]) => void) => void wc.rendererListeners.get(channel)?.delete(listener),
    },
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        if (key in exposed) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
        exposed[key] = api;
        world.record('contextBridge.exposeInMainWorld', key);
      },
    },
  };
}
