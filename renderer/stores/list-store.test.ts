import { describe, expect, it } from 'vitest';
import { createListStore } from './list-store';

type Item = { id: string; n: number };

describe('createListStore with a key', () => {
  it('keeps unchanged items (and the array when nothing changed) across replaces, and still counts each replace', () => {
    const store = createListStore<Item>({ key: (i) => i.id });
    store.getState().replace([{ id: 'a', n: 1 }, { id: 'b', n: 1 }]);
    const first = store.getState().items;
    store.getState().replace([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    const second = store.getState().items;
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toEqual({ id: 'b', n: 2 });
    store.getState().replace([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    expect(store.getState().items).toBe(second);
    // A slower list answer must still lose against these: rev counts every replace.
    expect(store.getState().rev).toBe(3);
  });

  it('without a key, takes every list as it comes', () => {
    const store = createListStore<Item>();
    const list = [{ id: 'a', n: 1 }];
    store.getState().replace(list);
    store.getState().replace([{ id: 'a', n: 1 }]);
    expect(store.getState().items).not.toBe(list);
  });
});
