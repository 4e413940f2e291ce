import { describe, expect, it } from 'vitest';
import { AsciicastError, eventLine, headerLine, parseAsciicast, parseResize } from './asciicast';

describe('asciicast v2', () => {
  it('reads what it writes: header, events with times, output with escapes and newlines', () => {
    const text = headerLine({ version: 2, width: 80, height: 24, timestamp: 1700000000, title: 'x' }) + eventLine(0.1234567, 'o', 'a\r\n\x1b[31m"b"\x1b[0m') + eventLine(1.5, 'r', '100x30');
    const cast = parseAsciicast(text);
    expect(cast.header).toEqual({ version: 2, width: 80, height: 24, timestamp: 1700000000, title: 'x' });
    expect(cast.events).toEqual([
      [0.123457, 'o', 'a\r\n\x1b[31m"b"\x1b[0m'],
      [1.5, 'r', '100x30'],
    ]);
    expect(cast.duration).toBe(1.5);
    expect(parseResize('100x30')).toEqual({ cols: 100, rows: 30 });
    expect(parseResize('100 30')).toBeUndefined();
  });

  it('refuses what is not asciicast v2, naming the line', () => {
    expect(() => parseAsciicast('')).toThrow(AsciicastError);
    expect(() => parseAsciicast('{"version":1,"width":80,"height":24}\n')).toThrow('line 1: not asciicast v2');
    expect(() => parseAsciicast('{"version":2,"width":0,"height":24}\n')).toThrow('line 1');
    expect(() => parseAsciicast('{"version":2,"width":80,"height":24}\n[1,"o"]\n[2,"o","x"]\n')).toThrow('line 2: an event must be [time, code, data]');
    expect(() => parseAsciicast('{"version":2,"width":80,"height":24}\nnope\n[2,"o","x"]\n')).toThrow('line 2: an event is not JSON');
  });

  it('drops a last line cut short (the app ended mid-write) and keeps the rest', () => {
    const cast = parseAsciicast('{"version":2,"width":80,"height":24}\n[0.5,"o","ok"]\n[0.7,"o","cu');
    expect(cast.events).toEqual([[0.5, 'o', 'ok']]);
  });
});
