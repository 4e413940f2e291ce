/**
 * Copy and paste on a page that may be served over plain http (through an SSH relay), where
 * the asynchronous clipboard API does not exist: copying falls back to a selected textarea
 * and execCommand, pasting to the browser's own paste (Ctrl+Shift+V), which xterm reads.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused: try the old way.
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.className = 'offscreen';
  document.body.append(ta);
  ta.select();
  const ok = document.execCommand('copy');
  ta.remove();
  return ok;
}

/** The clipboard's text where the page may read it; undefined where only the keyboard can paste. */
export async function pasteText(): Promise<string | undefined> {
  try {
    if (navigator.clipboard && window.isSecureContext) return await navigator.clipboard.readText();
  } catch {
    // Refused by the user or the browser.
  }
  return undefined;
}
