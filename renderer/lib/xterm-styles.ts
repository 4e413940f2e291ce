import type { Terminal } from '@xterm/xterm';

/**
 * Opens `term` in `el` under a CSP without 'unsafe-inline' for styles. xterm.js's DOM renderer
 * writes its theme colours and cell sizes into <style> elements (xtermjs/xterm.js#4445; its
 * constructed-stylesheet version was reverted), which such a CSP blocks: the text is there
 * but invisible, and every rewrite logs a violation. xterm only sets their `textContent` and
 * removes them, so while it opens, each <style> it asks for is made as a <template> (never
 * rendered, nothing for CSP to judge) whose `textContent` goes into a constructed style sheet
 * adopted by the document instead, which CSP does not govern; `remove()` drops the sheet. A
 * real <style> made after open() is mirrored the same way by a MutationObserver (the CSP
 * still reports it once). Returns the clean-up.
 */
export function openWithAdoptedStyles(term: Terminal, el: HTMLElement): () => void {
  const doc = el.ownerDocument;
  const sheets = new Set<CSSStyleSheet>();
  const adopt = (): CSSStyleSheet => {
    const sheet = new CSSStyleSheet();
    sheets.add(sheet);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    return sheet;
  };
  const drop = (sheet: CSSStyleSheet): void => {
    if (!sheets.delete(sheet)) return;
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
  };

  const original = doc.createElement.bind(doc);
  // Only while open() runs (synchronously): the style elements it makes are stand-ins.
  doc.createElement = ((tag: string, options?: ElementCreationOptions) => {
    if (tag.toLowerCase() !== 'style') return original(tag, options);
    const holder = original('template');
    holder.dataset.xtermStyle = '';
    const sheet = adopt();
    let css = '';
    Object.defineProperty(holder, 'textContent', {
      configurable: true,
      get: () => css,
      set: (text: string | null) => {
        css = text ?? '';
        sheet.replaceSync(css);
      },
    });
    holder.remove = () => {
      Element.prototype.remove.call(holder);
      drop(sheet);
    };
    return holder;
  }) as typeof doc.createElement;
  try {
    term.open(el);
  } finally {
    // The instance property shadowed Document.prototype's method: deleting it restores that.
    delete (doc as { createElement?: unknown }).createElement;
  }

  const mirrored = new Map<HTMLStyleElement, CSSStyleSheet>();
  const sync = () => {
    const present = new Set(el.querySelectorAll('style'));
    for (const style of present) {
      let sheet = mirrored.get(style);
      if (!sheet) mirrored.set(style, (sheet = adopt()));
      sheet.replaceSync(style.textContent ?? '');
    }
    for (const [style, sheet] of mirrored) {
      if (present.has(style)) continue;
      mirrored.delete(style);
      drop(sheet);
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(el, { childList: true, subtree: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    for (const sheet of [...sheets]) drop(sheet);
  };
}
