/**
 * A separate window for a provider's browser login (border0), kept apart from the app: its own
 * session partition (cookies of the identity provider never mix with the app's), the same
 * secure web preferences, no preload (the login page gets no bridge to the core), navigation
 * limited to https (and http on loopback), every permission refused.
 */
import { randomBytes } from 'node:crypto';
import { BrowserWindow, session, type Session } from 'electron';
import { setNavigationPolicy } from './navigation';
import { isLoginPartition, isLoginUrlAllowed, SECURE_WEB_PREFERENCES } from './security';

export interface LoginWindow {
  readonly window: BrowserWindow;
  /** Resolves when the window is gone (closed by the user or by `close()`). */
  readonly closed: Promise<void>;
  /** Close it, e.g. once the core has the token. Safe to call more than once. */
  close(): void;
}

export interface LoginWindowOptions {
  parent?: BrowserWindow;
  title?: string;
}

const hardenedSessions = new WeakSet<Session>();

function hardenSession(ses: Session): void {
  if (hardenedSessions.has(ses)) return;
  hardenedSessions.add(ses);
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
}

/**
 * Opens `url` in a login window. `partition` is `persist:login-<provider>` to remember the
 * identity provider's cookies, `login-<provider>` for memory only, or omitted for a fresh
 * in-memory session used once.
 */
export function openLoginWindow(url: string, partition?: string, opts: LoginWindowOptions = {}): LoginWindow {
  if (!isLoginUrlAllowed(url)) throw new Error(`refusing to open a login window on ${url.slice(0, 200)}: https (or http on this machine) only`);
  const part = partition ?? `login-tmp-${randomBytes(6).toString('hex')}`;
  if (!isLoginPartition(part)) throw new Error(`invalid login session partition "${part}"`);
  hardenSession(session.fromPartition(part));

  const win = new BrowserWindow({
    width: 520,
    height: 720,
    parent: opts.parent,
    title: opts.title ?? 'Sign in',
    autoHideMenuBar: true,
    webPreferences: { ...SECURE_WEB_PREFERENCES, partition: part },
  });
  // window.open and link targets are already sent to the OS browser by hardenWebContents.
  setNavigationPolicy(win.webContents, { allow: isLoginUrlAllowed, openDeniedExternally: false });

  const closed = new Promise<void>((resolve) => win.once('closed', () => resolve()));
  win.loadURL(url).catch((err: unknown) => console.warn(`[login] could not load the login page: ${String(err)}`));

  return {
    window: win,
    closed,
    close() {
      if (!win.isDestroyed()) win.close();
    },
  };
}
