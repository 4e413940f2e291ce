/**
 * The app window's session: our page gets the CSP as a header (the app protocol sets it on its
 * own responses; the dev server's get it here), only the permissions in ALLOWED_PERMISSIONS,
 * and only its own log exports as downloads. Login windows have sessions of their own
 * (login-window.ts) where everything is refused.
 */
import type { Session } from 'electron';
import { handleDownload } from './downloads';
import { ALLOWED_PERMISSIONS } from './security';

export interface SessionPolicyOptions {
  isOurPage(url: string): boolean;
  csp: string;
  downloadsDir(): string;
}

export function applySessionPolicy(ses: Session, opts: SessionPolicyOptions): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    headers['Content-Security-Policy'] = [opts.csp];
    callback({ responseHeaders: headers });
  });
  const ours = (url: string | undefined) => !!url && opts.isOurPage(url);
  // requestingUrl / requestingOrigin name the frame that asks: an iframe of another origin gets nothing.
  ses.setPermissionRequestHandler((wc, permission, callback, details) =>
    callback(ALLOWED_PERMISSIONS.has(permission) && ours(wc.getURL()) && ours(details.requestingUrl)),
  );
  ses.setPermissionCheckHandler((wc, permission, requestingOrigin) => ALLOWED_PERMISSIONS.has(permission) && !!wc && ours(wc.getURL()) && ours(requestingOrigin));
  ses.on('will-download', (event, item, contents) =>
    handleDownload({ isOurPage: opts.isOurPage, downloadsDir: opts.downloadsDir, log: (m) => console.warn(m) }, event, item, contents),
  );
}
