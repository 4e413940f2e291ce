/**
 * Terminal sessions to lab nodes (the browser terminal of a share's audience page, and the
 * owner's own terminal that an audience may watch). Plain data that crosses the IPC /
 * WebSocket boundary; credentials never appear here.
 */

/** How the app reaches a node's shell: SSH to a port of the node, or the container engine's exec. */
export type TerminalVia = 'ssh' | 'engine';

export interface TerminalSessionInfo {
  id: string;
  /** The share it belongs to; absent for the owner's own terminal outside any share. */
  shareId?: string;
  /** The attendee who opened it; absent for the owner's own terminal. */
  attendeeId?: string;
  attendeeName?: string;
  host: string;
  lab: string;
  node: string;
  via: TerminalVia;
  /** The terminal's size now (spectators size their view to it). */
  cols: number;
  rows: number;
  startedAt: number;
  /** Keystrokes/bytes from the user to the node, and output from the node. */
  bytesIn: number;
  bytesOut: number;
  lastActivityAt: number;
  /** Owner's terminal shared read-only with the share's audience (watch mode). */
  broadcast: boolean;
  /** The share whose audience watches it, while `broadcast`. */
  broadcastTo?: string;
  spectators: number;
  /** Set when the session is recorded (asciicast v2). */
  recordingId?: string;
}

export interface TerminalRecordingInfo {
  id: string;
  sessionId: string;
  shareId?: string;
  attendeeName?: string;
  host: string;
  lab: string;
  node: string;
  startedAt: number;
  /** Seconds; grows while the session runs. */
  durationS: number;
  bytes: number;
  /** False while the session is still being recorded. */
  complete: boolean;
}

/**
 * Output of the owner's own terminals, batched (`terminals.output`). `seq` counts batches per
 * session from 1 without gaps: a client that sees a gap (a batch coalesced away while it was
 * slow) redraws from `terminals.screen`, whose `seq` says which batches it already holds.
 */
export interface TerminalOutputChunk {
  id: string;
  seq: number;
  data: string;
  /** Set on the last batch of a session: why it ended. */
  end?: string;
}

/** The whole recent output of a session, for a (re)drawn view, and the last batch it includes. */
export interface TerminalScreen {
  id: string;
  seq: number;
  data: string;
}
