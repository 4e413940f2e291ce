import { beforeEach, describe, expect, it } from 'vitest';
import type { Api, EventName } from '../../shared/contract';
import type { Tunnel } from '../../shared/model';
import { bindTunnelsStore, tunnelNames, useTunnelsStore } from './use-tunnels-store';

const t = (id: string, name: string, total = 0, seq?: number) => ({ id, name, counters: { open: 0, total, bytesIn: 0, bytesOut: 0 }, ...(seq === undefined ? {} : { seq }) }) as Tunnel;

describe('tunnelNames', () => {
  it('stays the same Map while only counters move, and changes when a tunnel comes, goes or is renamed', () => {
    const a = tunnelNames([t('1', 'one'), t('2', 'two')]);
    expect([...a]).toEqual([['1', 'one'], ['2', 'two']]);
    expect(tunnelNames([t('1', 'one', 5), t('2', 'two', 9)])).toBe(a);
    const renamed = tunnelNames([t('1', 'uno'), t('2', 'two')]);
    expect(renamed).not.toBe(a);
    expect(renamed.get('1')).toBe('uno');
    expect([...tunnelNames([t('2', 'two')]).keys()]).toEqual(['2']);
  });
});

/** The core's side of the contract, as far as the tunnels store uses it: events and list answers when the test says. */
function fakeCore() {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const answers: ((list: Tunnel[]) => void)[] = [];
  const api = {
    on: (name: EventName, cb: (p: unknown) => void) => {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(cb);
      return () => set.delete(cb);
    },
    'tunnels.list': () => new Promise<Tunnel[]>((resolve) => answers.push(resolve)),
  } as unknown as Api;
  return {
    api,
    emit: (name: 'tunnels.changed' | 'tunnels.updated', tunnels: Tunnel[]) => listeners.get(name)?.forEach((cb) => cb(tunnels)),
    /** Answers the oldest pending tunnels.list. */
    answer: async (list: Tunnel[]) => {
      answers.shift()!(list);
      await new Promise((r) => setTimeout(r));
    },
    listening: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

const totals = () => Object.fromEntries(useTunnelsStore.getState().items.map((x) => [x.id, x.counters.total]));

describe('bindTunnelsStore', () => {
  beforeEach(() => useTunnelsStore.setState({ items: [], loaded: false, rev: 0 }));

  it('a delta or a whole list that arrives after a newer answer (it waited in a slow client\'s queue) leaves no row behind', async () => {
    const core = fakeCore();
    const binding = bindTunnelsStore(core.api);
    const loading = binding.load();
    await core.answer([t('a', 'A', 5, 10), t('b', 'B', 2, 10)]);
    await loading;
    expect(totals()).toEqual({ a: 5, b: 2 });
    core.emit('tunnels.updated', [t('a', 'A', 3, 7)]);
    expect(totals()).toEqual({ a: 5, b: 2 });
    core.emit('tunnels.changed', [t('a', 'A', 4, 8), t('b', 'B', 2, 10)]);
    expect(totals()).toEqual({ a: 5, b: 2 });
    // Newer ones apply, a delta to the one tunnel it names.
    const b = useTunnelsStore.getState().items[1];
    core.emit('tunnels.updated', [t('a', 'A', 6, 11)]);
    expect(totals()).toEqual({ a: 6, b: 2 });
    expect(useTunnelsStore.getState().items[1]).toBe(b);
    binding.dispose();
    expect(core.listening()).toBe(0);
  });

  it('a delta that never came is made good by the next whole list, which also decides which tunnels exist', async () => {
    const core = fakeCore();
    const binding = bindTunnelsStore(core.api);
    core.emit('tunnels.changed', [t('a', 'A', 0, 1), t('b', 'B', 0, 1)]);
    core.emit('tunnels.updated', [t('a', 'A', 1, 2)]);
    // The deltas for b (seq 3, 4) are lost; b then goes quiet.
    core.emit('tunnels.changed', [t('b', 'B', 7, 5), t('c', 'C', 0, 5)]);
    expect(totals()).toEqual({ b: 7, c: 0 });
    core.emit('tunnels.updated', [t('a', 'A', 2, 6)]);
    expect(totals()).toEqual({ b: 7, c: 0 });
    binding.dispose();
  });

  it('after a reconnect the list is taken as it is: a restarted core counts its seqs from the start again', async () => {
    const core = fakeCore();
    const binding = bindTunnelsStore(core.api);
    core.emit('tunnels.changed', [t('a', 'A', 40, 900)]);
    // The host restarted; the page reconnects and loads again.
    const loading = binding.load();
    core.emit('tunnels.updated', [t('a', 'A', 1, 2)]); // before the answer, under the old seqs: dropped, the answer follows
    await core.answer([t('a', 'A', 1, 3)]);
    await loading;
    expect(totals()).toEqual({ a: 1 });
    core.emit('tunnels.updated', [t('a', 'A', 2, 4)]);
    expect(totals()).toEqual({ a: 2 });
    binding.dispose();
  });

  it('a list event that came while the list was asked for wins over the answer', async () => {
    const core = fakeCore();
    const binding = bindTunnelsStore(core.api);
    const loading = binding.load();
    core.emit('tunnels.changed', [t('a', 'A', 0, 1), t('b', 'B', 0, 1)]);
    await core.answer([t('a', 'A', 0, 1)]);
    await loading;
    expect(totals()).toEqual({ a: 0, b: 0 });
    binding.dispose();
  });
});
