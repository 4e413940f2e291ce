import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../shared/model';
import { exportBlob, jsonLine, safeText, textLine } from './log-export';
import { LogRing } from './log-ring';
import { LogView } from './log-view';

const TIME = Date.UTC(2025, 0, 2, 3, 4, 5, 6);
const ISO = '2025-01-02T03:04:05.006Z';
const entry = (over: Partial<LogEntry> = {}): LogEntry => ({ seq: 1, time: TIME, level: 'info', source: 'tunnel', message: 'up', ...over });

/** What no exported line may contain raw: C0/C1 controls, DEL, line separators, bidi formatting. */
const RAW_CONTROL = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066\u2067]/u;
const FSI = '\u2068';
const PDI = '\u2069';

/** Every FSI closed by a PDI, none closed before it opened: isolates nest like brackets. */
function isolatesBalanced(line: string): boolean {
  let depth = 0;
  for (const c of line) {
    if (c === FSI) depth++;
    if (c === PDI && --depth < 0) return false;
  }
  return depth === 0;
}

async function exported(entries: LogEntry[], names: Map<string, string>, format: 'text' | 'jsonl'): Promise<string> {
  const ring = new LogRing(100);
  ring.push(entries);
  const snap = new LogView().sync(ring, { tunnelId: '', level: 'debug', text: '', textTunnels: [] }, 1);
  return exportBlob(snap, names, format).text();
}

describe('text export of hostile names and messages', () => {
  it('a newline in a tunnel name, a message or a field cannot forge a line', async () => {
    const forged = `x\n${ISO} ERROR core: forged`;
    const text = await exported(
      [
        entry({ seq: 1, tunnelId: 't1', message: `hello\r\n${ISO} INFO  fake: line` }),
        entry({ seq: 2, source: `src${forged}`, fields: { [`k\ney`]: `v\u2028${ISO} WARN x: y`, n: 3 } }),
      ],
      new Map([['t1', `clab-n1-tcp-22${forged}`]]),
      'text',
    );
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.startsWith(`${ISO} `)).toBe(true);
    expect(lines[0]).toBe(`${ISO} INFO  tunnel [clab-n1-tcp-22x\\n${ISO} ERROR core: forged]: hello\\r\\n${ISO} INFO  fake: line`);
    expect(lines[1]).toContain(`k\\ney=v\\u2028${ISO} WARN x: y n=3`);
  });

  it('ANSI escape sequences, C1 controls and DEL come out as visible escapes', () => {
    const line = textLine(entry({ message: '\x1b[2J\x1b[31mred\x1b]0;title\x07 \u009b31m \x7f \x00' }), '\x1b[1Aname');
    expect(line).not.toMatch(RAW_CONTROL);
    expect(line).toContain('[\\x1b[1Aname]');
    expect(line).toContain('\\x1b[2J\\x1b[31mred\\x1b]0;title\\x07 \\x9b31m \\x7f \\x00');
  });

  it('a right-to-left override in a name is shown, not obeyed, and cannot reorder the rest', () => {
    // U+202E would show "clab-n1-exe.txt" and flip everything after it on the line.
    const line = textLine(entry({ message: 'connection from 127.0.0.1:4000' }), 'clab-n1-\u202Etxt.exe');
    expect(line).not.toMatch(RAW_CONTROL);
    expect(line).toContain('[clab-n1-\\u202etxt.exe]: connection from 127.0.0.1:4000');
  });

  it('right-to-left text is isolated, and its own isolate characters cannot end the isolation early', () => {
    const name = `\u05e9\u05dc\u05d5\u05dd${PDI}\u202b 12:00`;
    const line = textLine(entry({ message: '\u0645\u0631\u062d\u0628\u0627 5 6', fields: { user: '\u05d0' } }), name);
    expect(line).toContain(`[${FSI}\u05e9\u05dc\u05d5\u05dd\\u2069\\u202b 12:00${PDI}]`);
    expect(line).toContain(`: ${FSI}\u0645\u0631\u062d\u0628\u0627 5 6${PDI} user=${FSI}\u05d0${PDI}`);
    expect(isolatesBalanced(line)).toBe(true);
    // Left-to-right text stays as it was: nothing invisible is added to ordinary lines.
    expect(safeText('clab-n1-tcp-22')).toBe('clab-n1-tcp-22');
  });

  it('holds for any string: one line per entry, no raw control, isolates balanced', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (name, message, value) => {
        const line = textLine(entry({ message, fields: { [value]: value } }), name);
        expect(line).not.toMatch(RAW_CONTROL);
        expect(line.includes('\n')).toBe(false);
        expect(isolatesBalanced(line)).toBe(true);
        expect(line.startsWith(`${ISO} INFO  tunnel [`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('JSON Lines export', () => {
  it('reads back exactly, with no raw C1, DEL, line separator or bidi control in the file', async () => {
    const hostile = entry({ message: 'a\u0085b\u2028c\u202Ed\x7f\x1b[31m', fields: { k: '\u2066x\u2069' } });
    const text = await exported([hostile], new Map([['t9', 'n\u202E']]), 'jsonl');
    const lines = text.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toMatch(RAW_CONTROL);
    expect(lines[0]).not.toMatch(/[\u2068\u2069]/);
    expect(JSON.parse(lines[0])).toEqual(hostile);
  });

  it('round-trips any entry and tunnel name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary', minLength: 1 }), (message, name) => {
        const e = entry({ message, tunnelId: 't1' });
        const line = jsonLine(e, name);
        expect(line).not.toMatch(RAW_CONTROL);
        expect(JSON.parse(line)).toEqual({ ...e, tunnelName: name });
      }),
      { numRuns: 500 },
    );
  });
});
