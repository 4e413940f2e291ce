import { describe, expect, it } from 'vitest';
import { keepUnchanged, sameJson } from './keep-unchanged';

type Row = { id: string; n: number; tags?: string[]; nested?: { a: number[] } };
const key = (r: Row) => r.id;

describe('keepUnchanged', () => {
  it('keeps the previous objects of unchanged items and takes the changed ones', () => {
    const prev: Row[] = [{ id: 'a', n: 1, nested: { a: [1, 2] } }, { id: 'b', n: 2 }];
    const next: Row[] = [{ id: 'a', n: 1, nested: { a: [1, 2] } }, { id: 'b', n: 3 }];
    const out = keepUnchanged(prev, next, key);
    expect(out[0]).toBe(prev[0]);
    expect(out[1]).toBe(next[1]);
    expect(out).not.toBe(prev);
  });

  it('gives back the previous array when nothing changed', () => {
    const prev: Row[] = [{ id: 'a', n: 1, tags: ['x'] }];
    expect(keepUnchanged(prev, [{ id: 'a', n: 1, tags: ['x'] }], key)).toBe(prev);
  });

  it('follows the new order, additions and removals', () => {
    const prev: Row[] = [{ id: 'a', n: 1 }, { id: 'b', n: 2 }];
    const out = keepUnchanged(prev, [{ id: 'c', n: 0 }, { id: 'b', n: 2 }], key);
    expect(out.map((r) => r.id)).toEqual(['c', 'b']);
    expect(out[1]).toBe(prev[1]);
    const reordered = keepUnchanged(prev, [{ id: 'b', n: 2 }, { id: 'a', n: 1 }], key);
    expect(reordered).not.toBe(prev);
    expect(reordered).toEqual([prev[1], prev[0]]);
    expect(keepUnchanged(prev, [{ id: 'a', n: 1 }], key)).toEqual([prev[0]]);
  });
});

describe('sameJson', () => {
  it('compares deeply, and tells missing, extra and undefined-valued keys apart from equal ones', () => {
    expect(sameJson({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(sameJson({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
    expect(sameJson([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson([1, 2], [1, 2, 3])).toBe(false);
  });
});
