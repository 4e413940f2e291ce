import { describe, expect, it } from 'vitest';
import { lineLogger } from './dataplane-log-session';
import { TestLog } from './dataplane-test-helpers';

describe('lineLogger', () => {
  it('logs each non-blank line once, whatever the line ends and chunking', () => {
    const log = new TestLog();
    const out = lineLogger(log);
    out.push(Buffer.from('Welcome to border0\r\n\r\nyour socket: '));
    out.push(Buffer.from('https://x.border0.io\rnext\nlast without end'));
    expect(log.lines.map((l) => l.message)).toEqual(['Welcome to border0', 'your socket: https://x.border0.io', 'next']);
    out.flush();
    expect(log.lines.map((l) => l.message).at(-1)).toBe('last without end');
    expect(log.lines.every((l) => l.level === 'info' && l.fields?.origin === 'tunnel-server')).toBe(true);
  });

  it('drops terminal colour codes and joins a character split across chunks', () => {
    const log = new TestLog();
    const out = lineLogger(log);
    const text = Buffer.from('\x1b[1;32mready\x1b[0m – ok\n');
    const cut = text.indexOf(Buffer.from('–')) + 1; // inside the 3-byte dash
    out.push(text.subarray(0, cut));
    out.push(text.subarray(cut));
    expect(log.lines.map((l) => l.message)).toEqual(['ready – ok']);
  });

  it('cuts a line that never ends instead of buffering it forever', () => {
    const log = new TestLog();
    const out = lineLogger(log);
    out.push('x'.repeat(5000));
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0].message).toHaveLength(5000);
  });
});
