import { afterEach, describe, expect, it } from 'vitest';
import { Emitter, setListenerErrorReport } from './emitter';

describe('Emitter', () => {
  const reports: string[] = [];
  let undo = setListenerErrorReport((event, err) => reports.push(`${event}: ${(err as Error).message}`));
  afterEach(() => {
    reports.length = 0;
    undo();
    undo = setListenerErrorReport((event, err) => reports.push(`${event}: ${(err as Error).message}`));
  });

  it('a listener that throws breaks neither the emitter nor the listeners after it', () => {
    const e = new Emitter<{ changed: number }>();
    const seen: number[] = [];
    e.on('changed', () => {
      throw new Error('disk full');
    });
    e.on('changed', (n) => seen.push(n));
    expect(() => e.emit('changed', 1)).not.toThrow();
    expect(() => e.emit('changed', 2)).not.toThrow();
    expect(seen).toEqual([1, 2]);
  });

  it('reports each throwing listener once, however often it throws', () => {
    const e = new Emitter<{ changed: number }>();
    e.on('changed', () => {
      throw new Error('first');
    });
    e.on('changed', (n) => {
      if (n > 1) throw new Error('second');
    });
    for (let i = 0; i < 10; i++) e.emit('changed', i);
    expect(reports).toEqual(['changed: first', 'changed: second']);
  });

  it('survives a reporter that throws, and logging from the reporter cannot loop', () => {
    const e = new Emitter<{ appended: number }>();
    let reported = 0;
    undo();
    undo = setListenerErrorReport(() => {
      reported++;
      e.emit('appended', 0); // e.g. the report is a log entry, which is an event again
      throw new Error('reporter broke');
    });
    e.on('appended', () => {
      throw new Error('listener broke');
    });
    expect(() => e.emit('appended', 1)).not.toThrow();
    expect(reported).toBe(1);
  });
});
