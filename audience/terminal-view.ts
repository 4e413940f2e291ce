import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { MAX_INPUT_CHARS, type ClientMessage } from '../shared/audience-protocol';
import { copyText, pasteText } from './clipboard';

export const THEME = { background: '#111418', foreground: '#e6e6e6', cursor: '#e6e6e6', selectionBackground: '#3a5a8a' };

/** A panel in the page: a title bar with its buttons, a status line, and the xterm below. */
export function panel(title: string, testId: string): { root: HTMLElement; status: HTMLElement; bar: HTMLElement; screen: HTMLElement } {
  const root = document.createElement('section');
  root.className = 'term';
  root.dataset.testid = testId;
  const bar = document.createElement('div');
  bar.className = 'term-bar';
  const h = document.createElement('b');
  h.textContent = title;
  const status = document.createElement('span');
  status.className = 'term-status';
  status.dataset.testid = 'term-status';
  bar.append(h, status);
  const screen = document.createElement('div');
  screen.className = 'term-screen';
  root.append(bar, screen);
  document.getElementById('terminals')!.append(root);
  // xterm draws only what is on screen: a new panel is brought into view.
  root.scrollIntoView({ block: 'nearest' });
  return { root, status, bar, screen };
}

export function button(label: string, testId: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.dataset.testid = testId;
  b.addEventListener('click', onClick);
  return b;
}

/**
 * One browser terminal to a node: xterm.js with its size following the panel, keystrokes and
 * pastes to the app (split to the protocol's message size), copy and paste buttons and
 * Ctrl+Shift+C / Ctrl+Shift+V. After a reconnect the page attaches to the same session again
 * and the screen is redrawn from what the node printed meanwhile.
 */
export class TerminalView {
  sid?: string;
  readonly ref: number;
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly ui: ReturnType<typeof panel>;
  private readonly observer: ResizeObserver;
  private ended = false;

  constructor(
    readonly node: string,
    ref: number,
    private readonly send: (m: ClientMessage) => boolean,
    private readonly closed: (v: TerminalView) => void,
  ) {
    this.ref = ref;
    this.ui = panel(`Terminal: ${node}`, `terminal-${node}`);
    this.ui.bar.append(
      button('Copy', 'term-copy', () => void this.copy()),
      button('Paste', 'term-paste', () => void this.paste()),
      button('Close', 'term-close', () => this.close()),
    );
    this.term = new Terminal({ cursorBlink: true, fontSize: 14, scrollback: 5000, theme: THEME, fontFamily: 'ui-monospace, Menlo, Consolas, monospace' });
    this.term.loadAddon(this.fit);
    this.term.open(this.ui.screen);
    this.term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
      if (e.code === 'KeyC') {
        void this.copy();
        return false;
      }
      // Left to the browser: its paste event reaches xterm, which sends the text.
      return e.code !== 'KeyV';
    });
    this.term.onData((d) => this.input(d));
    this.term.onResize(({ cols, rows }) => this.sid && this.send({ t: 'resize', sid: this.sid, cols, rows }));
    this.observer = new ResizeObserver(() => this.fitNow());
    this.observer.observe(this.ui.screen);
    this.fitNow();
    this.setStatus('opening…');
    this.term.focus();
  }

  /** Whether the app was asked for this terminal (it may still be on its way). */
  requested = false;

  /** Asks the app for the session. */
  request(ref: number): void {
    this.requested = this.send({ t: 'open', ref, node: this.node, ...this.size });
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.term.cols, rows: this.term.rows };
  }

  opened(sid: string, reattached: boolean): void {
    this.sid = sid;
    this.ui.root.dataset.sid = sid;
    // The backlog follows and redraws the screen as it was.
    if (reattached) {
      this.term.reset();
      this.ui.root.dataset.reattached = String(Number(this.ui.root.dataset.reattached ?? 0) + 1);
    }
    this.setStatus('connected');
  }

  write(d: string): void {
    this.term.write(d);
  }

  /** The session ended at the app (node closed the shell, idle, revoked...). */
  exit(reason: string): void {
    this.ended = true;
    this.term.options.disableStdin = true;
    this.setStatus(`ended: ${reason}`);
  }

  failed(message: string): void {
    this.exit(message);
  }

  down(): void {
    if (!this.ended) this.setStatus('connection lost: reconnecting…');
  }

  /** The socket is back: ask for the same session again. */
  reattach(ref: number): void {
    if (this.ended || !this.sid) return;
    this.setStatus('reconnecting…');
    this.send({ t: 'attach', ref, sid: this.sid, ...this.size });
  }

  dispose(): void {
    this.observer.disconnect();
    this.term.dispose();
    this.ui.root.remove();
  }

  private input(d: string): void {
    if (this.ended || !this.sid) return;
    for (let i = 0; i < d.length; i += MAX_INPUT_CHARS) this.send({ t: 'in', sid: this.sid, d: d.slice(i, i + MAX_INPUT_CHARS) });
  }

  private async copy(): Promise<void> {
    // The selection, or the whole screen when nothing is selected.
    let text = this.term.getSelection();
    if (!text) {
      this.term.selectAll();
      text = this.term.getSelection().replace(/\s+$/, '');
      this.term.clearSelection();
    }
    this.setStatus((await copyText(text)) ? 'copied' : 'copy refused by the browser');
    this.term.focus();
  }

  private async paste(): Promise<void> {
    const text = await pasteText();
    if (text === undefined) this.setStatus('press Ctrl+Shift+V to paste here');
    else this.term.paste(text);
    this.term.focus();
  }

  private close(): void {
    if (this.sid && !this.ended) this.send({ t: 'close', sid: this.sid });
    this.dispose();
    this.closed(this);
  }

  private fitNow(): void {
    try {
      this.fit.fit();
    } catch {
      // Not laid out yet (hidden): the observer calls again.
    }
  }

  private setStatus(s: string): void {
    this.ui.status.textContent = s;
  }
}
