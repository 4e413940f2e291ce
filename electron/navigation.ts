/**
 * Navigation and pop-up rules applied to every web contents the app creates (hooked from
 * app 'web-contents-created' in main.ts). Default: no webviews, no new windows, no navigation;
 * a window that must move (the app page within itself, a login window across identity
 * providers) registers a policy for its own web contents.
 */
import { shell, type WebContents } from 'electron';
import { isExternalUrlAllowed } from './security';

export interface NavigationPolicy {
  /** URLs this web contents may navigate or be redirected to. */
  allow(url: string): boolean;
  /** Hand refused user navigations (a clicked link) to the OS browser when they are http(s). */
  openDeniedExternally: boolean;
}

const policies = new WeakMap<WebContents, NavigationPolicy>();

export function setNavigationPolicy(contents: WebContents, policy: NavigationPolicy): void {
  policies.set(contents, policy);
}

/** Opens http(s) URLs in the user's browser; anything else (file:, custom schemes) is dropped. */
export function openExternalSafely(url: string): void {
  if (!isExternalUrlAllowed(url)) {
    console.warn(`[security] not opening non-http(s) URL externally: ${url.slice(0, 200)}`);
    return;
  }
  shell.openExternal(url).catch((err: unknown) => console.warn(`[security] could not open ${url}: ${String(err)}`));
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    const policy = policies.get(contents);
    if (policy?.allow(event.url)) return;
    event.preventDefault();
    if (policy?.openDeniedExternally) openExternalSafely(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!policies.get(contents)?.allow(event.url)) event.preventDefault();
  });
}
