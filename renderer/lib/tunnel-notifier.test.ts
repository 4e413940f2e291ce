import { describe, expect, it } from 'vitest';
import type { Tunnel, TunnelState } from '../../shared/model';
import { TunnelNotifier, type TunnelNotice } from './tunnel-notifier';

const tunnel = (id: string, state: TunnelState) => ({ id, name: `clab-${id}`, state }) as Tunnel;

function setup() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const shown: string[] = [];
  const n = new TunnelNotifier({
    show: (x: TunnelNotice) => shown.push(`${x.tunnel.id}:${x.kind}`),
    now: () => now,
    setTimer: (fn, ms) => timers.push({ at: now + ms, fn }),
    clearTimer: () => {},
  });
  const advance = (ms: number) => {
    now += ms;
    const due = timers.filter((x) => x.at <= now);
    timers.splice(0, timers.length, ...timers.filter((x) => x.at > now));
    due.forEach((t) => t.fn());
  };
  return { n, shown, advance };
}

describe('TunnelNotifier', () => {
  it('announces down and back, not the first start', () => {
    const { n, shown, advance } = setup();
    n.update([tunnel('a', 'connecting')]);
    n.update([tunnel('a', 'online')]);
    expect(shown).toEqual([]);
    n.update([tunnel('a', 'reconnecting')]);
    advance(31_000);
    n.update([tunnel('a', 'connecting')]);
    n.update([tunnel('a', 'online')]);
    expect(shown).toEqual(['a:down', 'a:up']);
  });

  it('shows at most one per tunnel per 30 s, and the final state at the end of the window', () => {
    const { n, shown, advance } = setup();
    n.update([tunnel('a', 'online'), tunnel('b', 'online')]);
    n.update([tunnel('a', 'failed'), tunnel('b', 'degraded')]);
    n.update([tunnel('a', 'online'), tunnel('b', 'degraded')]);
    n.update([tunnel('a', 'failed'), tunnel('b', 'degraded')]);
    expect(shown).toEqual(['a:down', 'b:down']);
    advance(10_000);
    n.update([tunnel('a', 'online'), tunnel('b', 'online')]);
    advance(25_000);
    expect(shown).toEqual(['a:down', 'b:down', 'a:up', 'b:up']);
  });

  it('says nothing at the end of the window when the state is back to what was shown', () => {
    const { n, shown, advance } = setup();
    n.update([tunnel('a', 'online')]);
    n.update([tunnel('a', 'reconnecting')]);
    n.update([tunnel('a', 'online')]);
    n.update([tunnel('a', 'reconnecting')]);
    advance(40_000);
    expect(shown).toEqual(['a:down']);
  });

  it('ignores waiting-for-node and forgets removed tunnels', () => {
    const { n, shown } = setup();
    n.update([tunnel('a', 'online')]);
    n.update([tunnel('a', 'waiting-for-node')]);
    n.update([]);
    n.update([tunnel('a', 'failed')]);
    expect(shown).toEqual([]);
  });
});
