/**
 * Pure security rules for the Electron shell: the CSP, which URLs count as "our app", which
 * may be handed to the OS browser, which a login window may visit. No `electron` import, so
 * these run (and are tested) without the Electron binary; main.ts and ipc-bridge.ts apply them.
 */

export { buildCsp, type CspOptions } from '../shared/csp';

/** Where the main window's page comes from: the Vite dev server, or the bundled index.html. */
export type AppLocation = { kind: 'dev'; url: string } | { kind: 'file'; url: string };

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` is our own page (any hash / query of it): same origin as the dev server, or
 * exactly the bundled index.html file. Used for IPC sender checks and navigation.
 */
export function isAppUrl(url: string, app: AppLocation): boolean {
  const u = parse(url);
  const base = parse(app.url);
  if (!u || !base) return false;
  if (app.kind === 'dev') {
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === base.origin;
  }
  return u.protocol === 'file:' && base.protocol === 'file:' && u.host === base.host && u.pathname === base.pathname;
}

/** Only http(s) URLs are ever handed to the OS (`shell.openExternal`); never file:, javascript:, custom schemes. */
export function isExternalUrlAllowed(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && !u.username && !u.password;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * A provider's browser login may move across https sites (identity providers), and plain
 * http only on this machine (a local stand-in or the redirect back to a loopback listener).
 */
export function isLoginUrlAllowed(url: string): boolean {
  const u = parse(url);
  if (!u || u.username || u.password) return false;
  if (u.protocol === 'https:') return true;
  return u.protocol === 'http:' && isLoopback(u.hostname);
}

/** Login windows get their own session: `persist:login-<provider>` (remembered) or in-memory. */
export function loginPartition(provider: string, persist: boolean): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(provider)) throw new Error(`invalid provider id for a login session: "${provider}"`);
  return `${persist ? 'persist:' : ''}login-${provider}`;
}

/** Partitions a login window may use; never the default session the app window lives in. */
export function isLoginPartition(partition: string): boolean {
  return /^(persist:)?login-[a-z0-9][a-z0-9-]{0,62}$/.test(partition);
}

/** The only permission the app window may get: writing (sanitized) text to the clipboard. */
// notifications: tunnel down/up alerts, which the user turns on in the top bar.
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'notifications']);

/** Every window's web preferences: the Electron security checklist, in one place. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
} as const;
