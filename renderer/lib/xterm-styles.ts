import type { Terminal } from '@xterm/xterm';

/** What xterm's style elements are made as while it opens: a <template> never renders its text. */
const HOLDER = 'data-xterm-style';

/**
 * Opens `term` in `el` under a CSP without 'unsafe-inline' for styles. xterm.js's DOM renderer
 * writes its theme colours and cell sizes into <style> elements (xtermjs/xterm.js#4445; its
 * constructed-stylesheet version was reverted), which such a CSP blocks: the text is there
 * but invisible, and every rewrite logs a violation. xterm only sets their `textContent` and
 * removes them, so while it opens, the <style> elements it asks for are made as <template>
 * elements instead (never rendered, nothing for CSP to judge), and their text is mirrored
 * into constructed style sheets adopted by the document, which CSP does not govern. A
 * MutationObserver keeps the sheets in step as xterm rewrites the text (theme, resize) and
 * drops them with the elements; a real <style> made later is mirrored the same way.
 * Returns the clean-up.
 */
export function openWithAdoptedStyles(term: Terminal, el: HTMLElement): () => void {
  const doc = el.ownerDocument;
  const original = doc.createElement.bind(doc);
  // Only while open() runs (synchronously), and only for this terminal's elements.
  doc.createElement = ((tag: string, options?: ElementCreationOptions) => {
    if (tag.toLowerCase() !== 'style') return original(tag, options);
    const holder = original('template');
    holder.setAttribute(HOLDER, '');
    return holder;
  }) as typeof doc.createElement;
  try {
    term.open(el);
  } finally {
    // The instance property shadowed Document.prototype's method: deleting it restores that.
    delete (doc as { createElement?: unknown }).createElement;
  }
  const sheets = new Map<Element, { sheet: CSSStyleSheet; text: string }>();
  const sync = () => {
    const present = new Set(el.querySelectorAll(`template[${HOLDER}], style`));
    for (const holder of present) {
      const text = holder.textContent ?? '';
      let entry = sheets.get(holder);
      if (!entry) {
        entry = { sheet: new CSSStyleSheet(), text: '' };
        sheets.set(holder, entry);
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, entry.sheet];
      }
      if (entry.text !== text) {
        entry.sheet.replaceSync(text);
        entry.text = text;
      }
    }
    for (const [holder, { sheet }] of sheets) {
      if (present.has(holder)) continue;
      sheets.delete(holder);
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(el, { childList: true, subtree: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    const mine = new Set([...sheets.values()].map((e) => e.sheet));
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => !mine.has(s));
    sheets.clear();
  };
}
