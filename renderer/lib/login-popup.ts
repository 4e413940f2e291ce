import { useAccountsStore } from '../stores/use-accounts-store';

/** The browser tab border0's sign-in page opens in (headless host only; Electron has its own window). */
let popup: Window | null = null;
let unsubscribe: (() => void) | null = null;

const browserLogin = (items: { provider: string; login?: { method: string } }[]) =>
  items.some((a) => a.provider === 'border0' && a.login?.method === 'browser');

export function closeLoginPopup(): void {
  if (popup && !popup.closed) popup.close();
  popup = null;
}

/**
 * Opens an empty tab; must run synchronously inside the click, or popup blockers stop it.
 * The tab closes itself once the core says the login ended (signed in, cancelled, timed out).
 */
export function openLoginPopup(): Window | null {
  closeLoginPopup();
  popup = window.open('about:blank', 'border0-login');
  unsubscribe ??= useAccountsStore.subscribe((s, prev) => {
    if (browserLogin(prev.items) && !browserLogin(s.items)) closeLoginPopup();
  });
  return popup;
}

/**
 * Points the tab at the sign-in page. `opener` stays set on purpose: Chromium lets this page
 * close the tab only while the two are still related, and the tab is the configured border0
 * portal (this page sends no referrer, so the address's access token does not travel).
 */
export function showLoginPage(tab: Window | null, url: string): void {
  if (!tab || tab.closed) return;
  tab.location.href = url;
}
