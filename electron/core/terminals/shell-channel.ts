/**
 * What a terminal session needs of the shell behind it, whichever way it was reached (an SSH
 * channel with a pty, or a container engine's exec with a TTY). The session does all the
 * bookkeeping; a backend only moves bytes and sizes.
 */
export interface ShellChannel {
  /** Output of the shell (stdout and stderr: a pty merges them). */
  onData(listener: (chunk: Buffer) => void): void;
  /** Fires once when the shell went away by itself, with why in words. */
  onEnd(listener: (reason: string) => void): void;
  write(data: Buffer): void;
  resize(cols: number, rows: number): void;
  /** Tears everything down at once; idempotent. */
  close(): void;
  /** Settles once the node side is torn down too, after `close()` (for tests and shutdown). */
  readonly gone?: Promise<void>;
}

/** Terminal sizes a pty accepts; anything else is clamped (a 0x0 window breaks full-screen programs). */
export const TERMINAL_LIMITS = { minCols: 2, maxCols: 1000, minRows: 1, maxRows: 500 } as const;

export function clampSize(cols: number, rows: number): { cols: number; rows: number } {
  const c = Number.isFinite(cols) ? Math.round(cols) : 80;
  const r = Number.isFinite(rows) ? Math.round(rows) : 24;
  return {
    cols: Math.min(TERMINAL_LIMITS.maxCols, Math.max(TERMINAL_LIMITS.minCols, c)),
    rows: Math.min(TERMINAL_LIMITS.maxRows, Math.max(TERMINAL_LIMITS.minRows, r)),
  };
}
