import type { LogLevel } from '../../../shared/model';

export type LogFields = Record<string, string | number | boolean | null>;

/** What services write logs through. Messages must never contain secrets. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger for a sub-source or one tunnel, e.g. `child('ssh', tunnelId)`. */
  child(source: string, tunnelId?: string): Logger;
}
