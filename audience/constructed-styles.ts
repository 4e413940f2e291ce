/**
 * xterm.js writes its theme colours (the 256-colour palette among them), its cell sizes and its
 * scrollbar colours into <style> elements it creates at run time. The page's policy allows no
 * inline style at all (style-src 'self'), so the browser would refuse those and the terminal
 * would lose its colours. Constructed style sheets are not inline styles (CSP governs markup,
 * not the CSSOM), so each <style> asked for becomes an inert, hidden element whose text is
 * mirrored into a constructed sheet the document adopts, and dropped with it.
 */
export function routeStyleElementsToConstructedSheets(doc: Document = document): void {
  const create = doc.createElement.bind(doc) as (tag: string, o?: ElementCreationOptions) => HTMLElement;
  const replacement = (tag: string, o?: ElementCreationOptions): HTMLElement => {
    if (tag.toLowerCase() !== 'style') return create(tag, o);
    // An element no browser treats as CSS: its text is only ever read by the observer below.
    const el = create('clab-style');
    el.hidden = true;
    const sheet = new CSSStyleSheet();
    const sync = () => sheet.replaceSync(el.textContent ?? '');
    new MutationObserver(sync).observe(el, { childList: true, characterData: true, subtree: true });
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    const remove = el.remove.bind(el);
    el.remove = () => {
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      remove();
    };
    return el;
  };
  doc.createElement = replacement as Document['createElement'];
}
