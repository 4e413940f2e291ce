/**
 * Pure security rules for the Electron shell: the CSP, which URLs count as "our app", which
 * may be handed to the OS browser, which a login window may visit. No `electron` import, so
 * these run (and are tested) without the Electron binary; main.ts and ipc-bridge.ts apply them.
 */

export { buildCsp, type CspOptions } from '../shared/csp';

/**
 * Where the main window's page comes from: the Vite dev server (`electron-forge start`), or
 * the built renderer served by our own `app://` protocol (app-protocol.ts) in a packaged app.
 */
export type AppLocation = { kind: 'dev'; url: string } | { kind: 'app'; url: string };

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` is our own page: same origin as the dev server, or the app protocol's origin
 * (`app://clab-publisher`, any path, hash or query: that origin serves only the built
 * renderer). Used for IPC sender checks, navigation, permissions and downloads.
 */
export function isAppUrl(url: string, app: AppLocation): boolean {
  const u = parse(url);
  const base = parse(app.url);
  if (!u || !base || u.username || u.password) return false;
  if (app.kind === 'dev') {
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === base.origin;
  }
  // Custom schemes have an opaque `origin` in WHATWG URL terms: compare scheme and host.
  return u.protocol === base.protocol && u.host === base.host && u.port === '' && base.protocol !== 'file:';
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

/**
 * The only permissions the app window may get: writing (sanitized) text to the clipboard, and
 * notifications (tunnel down/up alerts, which the user turns on in the top bar).
 */
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
