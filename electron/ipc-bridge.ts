/**
 * The Electron transport of the contract: one `ipcMain.handle('rpc:<method>')` per method, all
 * through one wrapper that checks who is calling before the core's dispatcher (which parses
 * the parameters with the contract's schemas) sees anything; core events go to the window on
 * one channel, held back until the page says it is ready.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { EVENT_NAMES, METHOD_NAMES, type Envelope, type EventName } from '../shared/contract';
import type { Core } from './core/app-core-types';
import { EventQueue } from './event-queue';
import { EVENT_CHANNEL, READY_CHANNEL, RPC_CHANNEL_PREFIX } from './ipc-channels';

const REFUSED: Envelope<never> = {
  ok: false,
  error: { code: 'refused', message: 'this call did not come from the clab-publisher window', hint: 'only the app page itself may call the core' },
};

/**
 * Accept only the main frame of our own window, showing our own page: not an iframe, not
 * another window, not a page the window was somehow navigated to.
 */
function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent, win: BrowserWindow, isAppUrl: (url: string) => boolean): boolean {
  try {
    if (win.isDestroyed() || event.sender !== win.webContents) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isAppUrl(frame.url);
  } catch {
    // The frame went away while we looked at it.
    return false;
  }
}

/** Wires `core` to `win`. Returns a function that removes every handler and subscription. */
export function registerIpc(core: Core, win: BrowserWindow, isAppUrl: (url: string) => boolean): () => void {
  const wc = win.webContents;
  const queue = new EventQueue<EventName>((name, payload) => {
    if (!win.isDestroyed() && !wc.isDestroyed()) wc.send(EVENT_CHANNEL, name, payload);
  });

  let refusedLogged = 0;
  for (const method of METHOD_NAMES) {
    ipcMain.handle(`${RPC_CHANNEL_PREFIX}${method}`, async (event, params: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(event, win, isAppUrl)) {
        if (refusedLogged++ < 20) console.warn(`[ipc] refused ${method} from ${safeUrl(event)}`);
        return REFUSED;
      }
      try {
        return await core.dispatch(method, params);
      } catch (err) {
        // dispatch already turns handler errors into envelopes; this is the last guard.
        return { ok: false, error: { code: 'internal', message: `${method} failed: ${(err as Error)?.message ?? String(err)}` } };
      }
    });
  }

  const onReady = (event: IpcMainEvent) => {
    if (isTrustedSender(event, win, isAppUrl)) queue.markReady();
  };
  ipcMain.on(READY_CHANNEL, onReady);

  // A reload or navigation drops the page's listeners: queue until it says ready again.
  const onNavigation = (details: { isMainFrame: boolean; isSameDocument: boolean }) => {
    if (details.isMainFrame && !details.isSameDocument) queue.markNotReady();
  };
  wc.on('did-start-navigation', onNavigation);

  const unsubscribe = EVENT_NAMES.map((name) => core.events.on(name, (payload) => queue.push(name, payload)));

  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    for (const off of unsubscribe) off();
    for (const method of METHOD_NAMES) ipcMain.removeHandler(`${RPC_CHANNEL_PREFIX}${method}`);
    ipcMain.removeListener(READY_CHANNEL, onReady);
    if (!wc.isDestroyed()) wc.removeListener('did-start-navigation', onNavigation);
    queue.clear();
  };
}

function safeUrl(event: IpcMainInvokeEvent): string {
  try {
    return event.senderFrame?.url ?? '(no frame)';
  } catch {
    return '(gone)';
  }
}
