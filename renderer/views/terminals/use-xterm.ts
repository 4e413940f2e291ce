import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITerminalOptions } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useState, type RefObject } from 'react';
import { openWithAdoptedStyles } from '../../lib/xterm-styles';

const THEME: ITerminalOptions['theme'] = { background: '#1c2330', foreground: '#e6e9ef', cursor: '#e6e9ef', selectionBackground: '#3d5a99' };

/**
 * An xterm.js terminal in `ref`'s element for the component's lifetime. With `fit`, it takes
 * the element's size and follows it (a ResizeObserver); otherwise it keeps `cols` x `rows`.
 * The DOM renderer is used (no WebGL needed, and its text is in the page); its styles go
 * through constructed style sheets, which the page's CSP (`style-src 'self'`) allows.
 */
export function useXterm(ref: RefObject<HTMLElement | null>, o: { fit: boolean; readOnly?: boolean; cols?: number; rows?: number }): Terminal | null {
  const [term, setTerm] = useState<Terminal | null>(null);
  const { fit, readOnly, cols, rows } = o;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const t = new Terminal({
      cols: cols ?? 80,
      rows: rows ?? 24,
      disableStdin: !!readOnly,
      cursorBlink: !readOnly,
      fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace",
      fontSize: 13,
      scrollback: 5000,
      theme: THEME,
    });
    const fitter = new FitAddon();
    t.loadAddon(fitter);
    const unstyle = openWithAdoptedStyles(t, el);
    let observer: ResizeObserver | undefined;
    if (fit) {
      const refit = () => {
        // A hidden element (collapsed panel) has no size: keep the last one.
        if (el.clientWidth > 0 && el.clientHeight > 0) fitter.fit();
      };
      refit();
      observer = new ResizeObserver(refit);
      observer.observe(el);
    }
    setTerm(t);
    return () => {
      observer?.disconnect();
      setTerm(null);
      t.dispose();
      unstyle();
    };
    // Size changes after creation go through term.resize(); recreating would lose the screen.
  }, [ref, fit, readOnly]); // eslint-disable-line react-hooks/exhaustive-deps
  return term;
}
