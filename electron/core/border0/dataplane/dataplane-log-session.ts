/**
 * The session channel (pty + shell) the tunnel server talks to the client through: what it
 * writes there (welcome text, the public address, warnings) is the tunnel's log output.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Client, ClientChannel } from 'ssh2';
import type { Logger } from '../../logs/logger';

const MAX_LINE = 4096;
// Colours and cursor movement a pty-minded server may send: meaningless in a log.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>]/g;

/** Never rejects: without the session the tunnel still works, only its messages are missing. */
export function openLogSession(client: Client, log: Logger): Promise<ClientChannel | undefined> {
  return new Promise((resolve) => {
    const refused = (why: string) => {
      log.warn(`the tunnel server opened no log session (${why}): forwarding works, its messages will not show`);
      resolve(undefined);
    };
    try {
      client.shell({ term: 'dumb', cols: 200, rows: 50 }, (err, stream) => {
        if (err) return refused(err.message);
        const out = lineLogger(log);
        stream.on('data', out.push);
        stream.stderr.on('data', out.push);
        stream.on('close', out.flush);
        resolve(stream);
      });
    } catch (err) {
      refused((err as Error).message);
    }
  });
}

/** Splits a byte stream into lines (CR, LF or CRLF) and logs each non-blank one. */
export function lineLogger(log: Logger): { push: (chunk: Buffer | string) => void; flush: () => void } {
  let partial = '';
  const utf8 = new StringDecoder('utf8'); // a character may be split across chunks
  const emit = (line: string) => {
    const clean = line.replace(ANSI, '').trimEnd();
    if (clean.trim()) log.info(clean, { origin: 'tunnel-server' });
  };
  return {
    push: (chunk) => {
      const parts = (partial + (typeof chunk === 'string' ? chunk : utf8.write(chunk))).split(/\r\n|\r|\n/);
      partial = parts.pop() ?? '';
      for (const line of parts) emit(line);
      // A server that never ends a line must not grow the buffer without bound.
      if (partial.length > MAX_LINE) {
        emit(partial);
        partial = '';
      }
    },
    flush: () => {
      emit(partial + utf8.end());
      partial = '';
    },
  };
}
