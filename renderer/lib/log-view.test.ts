import { describe, expect, it } from 'vitest';
import type { LogEntry, LogLevel } from '../../shared/model';
import { LogRing } from './log-ring';
import { countFrom, entryAt, findError, indexOf, LogView, positionAt, type LogFilter } from './log-view';

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];
const entry = (seq: number, over: Partial<LogEntry> = {}): LogEntry => ({
  seq,
  time: seq,
  level: LEVELS[seq % 4],
  source: seq % 2 ? 'tunnel' : 'docker',
  tunnelId: seq % 3 ? 't1' : undefined,
  message: `message ${seq}`,
  ...over,
});
const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => entry(from + i));
const all: LogFilter = { tunnelId: '', level: 'debug', text: '', textTunnels: [] };
const seqs = (s: ReturnType<LogView['sync']>) => Array.from({ length: s.count }, (_, i) => entryAt(s, i)!.seq);

describe('LogRing', () => {
  it('keeps the newest entries and counts positions on', () => {
    const r = new LogRing(5);
    r.push(batch(1, 3));
    r.push(batch(4, 4));
    expect(r.length).toBe(5);
    expect(r.start).toBe(2);
    expect(r.slice().map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(r.at(1)).toBeUndefined();
    r.push(batch(8, 12));
    expect(r.slice().map((e) => e.seq)).toEqual([15, 16, 17, 18, 19]);
    r.reset(batch(1, 2));
    expect(r.generation).toBe(1);
    expect(r.slice().map((e) => e.seq)).toEqual([1, 2]);
  });
});

describe('LogView', () => {
  it('filters by tunnel, minimum level and text (message, source, fields, socket name)', () => {
    const r = new LogRing(100);
    r.push([...batch(1, 20), entry(21, { fields: { peer: '203.0.113.9' }, level: 'error', tunnelId: 't2' })]);
    const v = new LogView();
    expect(seqs(v.sync(r, { ...all, tunnelId: 't1', level: 'warn' }, 1))).toEqual([2, 7, 10, 11, 14, 19]);
    expect(seqs(v.sync(r, { ...all, text: 'MESSAGE 1' }, 1))).toEqual([1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(seqs(v.sync(r, { ...all, text: '203.0.113' }, 1))).toEqual([21]);
    expect(seqs(v.sync(r, { ...all, text: 'clab-x', textTunnels: ['t2'] }, 1))).toEqual([21]);
    expect(seqs(v.sync(r, { ...all, text: 'a.b(' }, 1))).toEqual([]);
  });

  it('appends and drops incrementally, matching a fresh scan', () => {
    const r = new LogRing(50);
    const v = new LogView();
    const f: LogFilter = { ...all, level: 'info', text: '1' };
    let s = v.sync(r, f, 0);
    for (let i = 0; i < 40; i++) {
      r.push(batch(1 + i * 7, 7));
      s = v.sync(r, f, i + 1);
      expect(seqs(s)).toEqual(seqs(new LogView().sync(r, f, 0)));
    }
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.total).toBe(s.dropped + s.count);
  });

  it('finds the next and previous error, wrapping nowhere by itself', () => {
    const r = new LogRing(100);
    r.push(batch(1, 20));
    const s = new LogView().sync(r, all, 1);
    const errs = [3, 7, 11, 15, 19];
    const at = (i: number) => entryAt(s, i)!.seq;
    expect(at(findError(s, -1, 1))).toBe(errs[0]);
    expect(at(findError(s, findError(s, -1, 1), 1))).toBe(errs[1]);
    expect(at(findError(s, s.count, -1))).toBe(errs[4]);
    expect(at(findError(s, 10, -1))).toBe(7);
    expect(findError(s, 18, 1)).toBe(-1);
    expect(s.errorCount).toBe(5);
    expect(indexOf(s, positionAt(s, 4))).toBe(4);
    expect(countFrom(s, r.end - 3)).toBe(3);
  });
});
