/**
 * Downloads in the app's session: only the log export, i.e. a `blob:` URL our own page made,
 * requested by our own page. Electron then asks where to save it (a save dialog, the user's
 * Downloads folder proposed); everything else is cancelled before a byte is written.
 */
import path from 'node:path';
import type { DownloadItem, Event, WebContents } from 'electron';

export interface DownloadPolicy {
  isOurPage(url: string): boolean;
  /** Folder the save dialog starts in. */
  downloadsDir(): string;
  log(message: string): void;
}

/** `blob:app://clab-publisher/<uuid>` made by our page; never http(s), file: or data:. */
export function isOwnBlob(url: string, isOurPage: (url: string) => boolean): boolean {
  if (!url.startsWith('blob:')) return false;
  return isOurPage(url.slice('blob:'.length));
}

/** A name for the save dialog: no folders, no control characters, not empty. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return base && base !== '.' && base !== '..' ? base.slice(0, 200) : 'clab-publisher-download';
}

/** The session's `will-download` listener. */
export function handleDownload(policy: DownloadPolicy, event: Event, item: DownloadItem, contents: WebContents | undefined): void {
  const url = item.getURL();
  let page = '(none)';
  try {
    page = contents && !contents.isDestroyed() ? contents.getURL() : page;
  } catch {
    // The page went away while we looked.
  }
  if (!contents || !policy.isOurPage(page) || !isOwnBlob(url, policy.isOurPage)) {
    event.preventDefault();
    policy.log(`[downloads] refused ${url.slice(0, 120)} from ${page.slice(0, 120)}: only the app's own exports may be saved`);
    return;
  }
  const name = safeFileName(item.getFilename());
  item.setSaveDialogOptions({ title: 'Save the log export', defaultPath: path.join(policy.downloadsDir(), name), buttonLabel: 'Save' });
  item.once('done', (_e, state) => {
    if (state === 'completed') policy.log(`[downloads] saved ${name} to ${item.getSavePath()}`);
    else if (state === 'interrupted') policy.log(`[downloads] saving ${name} failed (interrupted)`);
  });
}
