import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { button, panel, THEME } from './terminal-view';

/**
 * The organiser's terminal, read-only: output only, no keystroke ever leaves the page (the
 * app has no way for a spectator to write anyway).
 */
export class WatchView {
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly ui: ReturnType<typeof panel>;
  private readonly observer: ResizeObserver;

  constructor(stop: () => void) {
    this.ui = panel('Live demo (read-only)', 'watch');
    this.ui.bar.append(button('Stop watching', 'watch-stop', stop));
    this.term = new Terminal({ disableStdin: true, cursorBlink: false, fontSize: 14, scrollback: 5000, theme: THEME, fontFamily: 'ui-monospace, Menlo, Consolas, monospace' });
    this.term.loadAddon(this.fit);
    this.term.open(this.ui.screen);
    this.observer = new ResizeObserver(() => {
      // The organiser's size wins once known: lines wrap where they wrap on their screen.
      if (this.ownerSize) return;
      try {
        this.fit.fit();
      } catch {
        // Not laid out yet.
      }
    });
    this.observer.observe(this.ui.screen);
    this.ui.status.textContent = 'waiting…';
  }

  private ownerSize?: { cols: number; rows: number };

  /** The organiser's terminal size: the view takes it rather than its panel's. */
  size(cols: number, rows: number): void {
    this.ownerSize = { cols, rows };
    this.term.resize(cols, rows);
  }

  start(node: string, backlog: string, size?: { cols: number; rows: number }): void {
    if (size) this.size(size.cols, size.rows);
    this.term.reset();
    this.term.write(backlog);
    this.ui.status.textContent = node ? `watching ${node}` : 'watching';
  }

  write(d: string): void {
    this.term.write(d);
  }

  end(reason: string): void {
    this.ui.status.textContent = `ended: ${reason}`;
  }

  dispose(): void {
    this.observer.disconnect();
    this.term.dispose();
    this.ui.root.remove();
  }
}
