/**
 * asciicast v2, the recording format of asciinema (https://docs.asciinema.org/manual/asciicast/v2/):
 * newline-delimited JSON, a header object on the first line, then one `[time, code, data]`
 * array per event, `time` in seconds since the start. Codes used here: "o" (output), "r"
 * (resize, data `COLSxROWS`) and "m" (marker). Pure functions: the core writes with them,
 * the owner's player reads with them.
 */

export interface AsciicastHeader {
  version: 2;
  width: number;
  height: number;
  /** Unix time (seconds) of the start. */
  timestamp?: number;
  title?: string;
  env?: Record<string, string>;
}

export type AsciicastCode = 'o' | 'i' | 'r' | 'm';
export type AsciicastEvent = [time: number, code: AsciicastCode, data: string];

export interface Asciicast {
  header: AsciicastHeader;
  events: AsciicastEvent[];
  /** Seconds: the time of the last event. */
  duration: number;
}

export function headerLine(h: AsciicastHeader): string {
  return `${JSON.stringify(h)}\n`;
}

/** Times keep microseconds, like asciinema's own recorder: enough, and short lines. */
export function eventLine(time: number, code: AsciicastCode, data: string): string {
  return `${JSON.stringify([Math.round(Math.max(0, time) * 1e6) / 1e6, code, data])}\n`;
}

export class AsciicastError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'AsciicastError';
  }
}

/**
 * Reads a recording. A broken header is an error (with its line); a broken event line is an
 * error too, except a last line cut short (a recording that ended with the app), which is
 * dropped. Events with unknown codes are kept for the caller to ignore.
 */
export function parseAsciicast(text: string): Asciicast {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (!lines.length) throw new AsciicastError('empty recording', 1);
  let header: AsciicastHeader;
  try {
    header = JSON.parse(lines[0]) as AsciicastHeader;
  } catch {
    throw new AsciicastError('the header is not JSON', 1);
  }
  if (!header || header.version !== 2) throw new AsciicastError(`not asciicast v2 (version ${String(header?.version)})`, 1);
  if (!isSize(header.width) || !isSize(header.height)) throw new AsciicastError('the header needs a positive width and height', 1);
  const events: AsciicastEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    let ev: unknown;
    try {
      ev = JSON.parse(raw);
    } catch {
      if (i === lines.length - 1) break; // cut short by a crash: the rest is still good
      throw new AsciicastError('an event is not JSON', i + 1);
    }
    if (!Array.isArray(ev) || ev.length < 3 || typeof ev[0] !== 'number' || typeof ev[1] !== 'string' || typeof ev[2] !== 'string' || !(ev[0] >= 0)) {
      throw new AsciicastError('an event must be [time, code, data]', i + 1);
    }
    events.push([ev[0], ev[1] as AsciicastCode, ev[2]]);
  }
  return { header, events, duration: events.length ? events[events.length - 1][0] : 0 };
}

/** `COLSxROWS` of an "r" event; undefined when malformed. */
export function parseResize(data: string): { cols: number; rows: number } | undefined {
  const m = /^(\d{1,4})x(\d{1,4})$/.exec(data);
  return m ? { cols: Number(m[1]), rows: Number(m[2]) } : undefined;
}

const isSize = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0 && n < 10_000;
