import type { Terminal } from '@xterm/xterm';
import type { TerminalOutputChunk } from '../../../shared/terminal-model';
import { onTerminalOutput } from '../../stores/use-terminals-store';
import { onReconnected, resizeTerminal, terminalScreen, writeTerminal } from './actions';

const MAX_WRITE = 60_000;

/**
 * Connects an xterm.js terminal to one of the owner's sessions in the core: output batches in
 * `seq` order (a gap, left by a slow connection, redraws the screen from `terminals.screen`),
 * keystrokes sent one request at a time so they arrive in order, resizes as they happen.
 */
export function linkTerminal(term: Terminal, id: string, on: { ended(reason: string): void; failed(err: unknown): void }): () => void {
  let seq = -1; // unknown until the first screen
  let redrawing = false;
  let disposed = false;
  const held: TerminalOutputChunk[] = [];

  const apply = (c: TerminalOutputChunk): void => {
    if (c.seq <= seq) return;
    if (c.seq !== seq + 1) return void redraw();
    seq = c.seq;
    if (c.data) term.write(c.data);
    if (c.end !== undefined) on.ended(c.end);
  };
  const redraw = async (): Promise<void> => {
    if (redrawing || disposed) return;
    redrawing = true;
    try {
      const screen = await terminalScreen(id);
      if (disposed) return;
      term.reset();
      term.write(screen.data);
      seq = screen.seq;
    } catch (err) {
      if (!disposed) on.failed(err);
    } finally {
      redrawing = false;
    }
    for (const c of held.splice(0).sort((a, b) => a.seq - b.seq)) apply(c);
  };
  const offOutput = onTerminalOutput(id, (c) => (redrawing ? held.push(c) : apply(c)));
  void redraw();
  // Batches sent while the connection to the host was down are gone: draw the screen again.
  const offConnected = onReconnected(() => void redraw());

  let pending = '';
  let sending = false;
  const send = async (): Promise<void> => {
    if (sending || !pending) return;
    sending = true;
    try {
      while (pending && !disposed) {
        const data = pending.slice(0, MAX_WRITE);
        pending = pending.slice(data.length);
        await writeTerminal(id, data);
      }
    } catch (err) {
      pending = '';
      if (!disposed) on.failed(err);
    } finally {
      sending = false;
    }
  };
  const offInput = term.onData((d) => {
    pending += d;
    void send();
  });
  const offResize = term.onResize(({ cols, rows }) => void resizeTerminal(id, cols, rows).catch(() => undefined));
  // The core opened it at a guess; tell it the size the view really has.
  void resizeTerminal(id, term.cols, term.rows).catch(() => undefined);

  return () => {
    disposed = true;
    offOutput();
    offConnected();
    offInput.dispose();
    offResize.dispose();
  };
}
