/**
 * The session channel (pty + shell) the tunnel server talks to the client through: what it
 * writes there (welcome text, the public address, warnings) is the tunnel's log output.
 * Like the border0 CLI, the client asks for an `xterm-256color` pty of 80x40, and when the
 * server ends the session the whole connection is over (`onEnded`): the server uses that to
 * tell a client to go away, e.g. when the socket was changed or its certificate is due.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Client, ClientChannel } from 'ssh2';
import type { Logger } from '../../logs/logger';

const MAX_LINE = 4096;
// Colours and cursor movement a pty-minded server may send: meaningless in a log.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>]/g;

/** The pty the border0 CLI asks for (internal/border0/socket.go). */
export const SESSION_PTY = { term: 'xterm-256color', cols: 80, rows: 40 } as const;

/**
 * Never rejects: without the session the tunnel still works, only its messages are missing.
 * `onEnded` is called once if the server closes a session it had opened (never for one the
 * client closes itself: the caller knows that).
 */
export function openLogSession(client: Client, log: Logger, onEnded: () => void = () => {}): Promise<ClientChannel | undefined> {
  return new Promise((resolve) => {
    const refused = (why: string) => {
      log.warn(`the tunnel server opened no log session (${why}): forwarding works, its messages will not show`);
      resolve(undefined);
    };
    try {
      client.shell({ ...SESSION_PTY }, (err, stream) => {
        if (err) return refused(err.message);
        const out = lineLogger(log);
        stream.on('data', out.push);
        stream.stderr.on('data', out.push);
        stream.on('close', () => {
          out.flush();
          onEnded();
        });
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
