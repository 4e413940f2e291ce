/**
 * The terminal layer's narrow interface: what the audience page (issue 14) and the owner's own
 * terminal use to reach a node's shell. The service behind it knows nothing of shares or
 * attendees beyond the labels it is given; policies (who may open what, how many) are decided
 * by the caller and passed in, credentials included — they never leave the core.
 */
import type { TerminalRecordingInfo, TerminalSessionInfo, TerminalVia } from '../../../shared/terminal-model';

export type TerminalTarget = { host: string; lab: string; node: string } & (
  | {
      via: 'ssh';
      /** The node's SSH port, reached through the lab host's dialer (direct or SSH direct-tcpip). */
      port: number;
      username: string;
      password?: string;
      privateKey?: string;
    }
  | {
      via: 'engine';
      /** Command to run in the container; the first shell found (bash, sh) when absent. */
      command?: string[];
    }
);

export interface OpenTerminal {
  target: TerminalTarget;
  /** Labels for the owner's view, the audit and the recording. */
  shareId?: string;
  attendeeId?: string;
  attendeeName?: string;
  cols: number;
  rows: number;
  /** Record as asciicast v2 (files under the data folder). */
  record?: boolean;
  /** Refused with `rate_limited` when this attendee already has this many open sessions. */
  maxPerAttendee?: number;
  /** Closed with a reason after this long without input or output. */
  idleTimeoutMs?: number;
}

/**
 * Output of a session: `backlog` is the recent output (bounded) so a late viewer sees the
 * screen. Listeners run on the session's data path: they must not block, and must bound what
 * they queue for a slow viewer (one that throws is dropped).
 */
export interface TerminalOutput {
  backlog(): Buffer;
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Fires once, with why it ended (node closed the shell, killed by the owner, idle, share ended). */
  onExit(listener: (reason: string) => void): () => void;
}

/** What spectators of a broadcast get: output, the session's id (for `spectate`) and facts (its size). */
export interface BroadcastView extends TerminalOutput {
  readonly id: string;
  info(): TerminalSessionInfo;
}

export interface TerminalSession extends TerminalOutput {
  readonly id: string;
  info(): TerminalSessionInfo;
  write(data: Buffer | string): void;
  resize(cols: number, rows: number): void;
  close(reason: string): void;
}

export interface Terminals {
  /** Rejects with an AppError (refused, unavailable, rate_limited, unauthorized) that says why. */
  open(req: OpenTerminal): Promise<TerminalSession>;
  get(id: string): TerminalSession | undefined;
  list(): TerminalSessionInfo[];
  /** Ends one session; false when there is none with that id. */
  kill(id: string, reason: string): boolean;
  /**
   * Ends every attendee session matching the filter (and opens still in progress for them:
   * they fail with `refused`); returns how many sessions ended. With a share id alone it also
   * stops that share's broadcast (the owner's session itself goes on). An empty filter
   * matches nothing.
   */
  killWhere(filter: { shareId?: string; attendeeId?: string }, reason: string): number;
  /** Watch mode: the owner's session shared read-only with a share's audience. */
  setBroadcast(id: string, shareId: string | undefined): void;
  /** The session a share broadcasts, if any: spectators get its output only, never `write`. */
  broadcastOf(shareId: string): BroadcastView | undefined;
  /** Count a spectator in/out (for the owner's view). */
  spectate(id: string, delta: 1 | -1): void;
  recordings(): TerminalRecordingInfo[];
  /** The asciicast v2 text of a recording (bounded read). */
  readRecording(id: string): Promise<string>;
  onChanged(listener: (sessions: TerminalSessionInfo[]) => void): () => void;
}

export type { TerminalVia };
