import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/rpc-errors';
import type { TerminalSessionInfo } from '../../../shared/terminal-model';
import { engineOpen, scriptedService } from './terminal-test-helpers';

// Session bookkeeping with a scripted shell: limits, idle, kill, watch mode, backlog, events.
// The real SSH and engine shells are covered by terminal-shells.test.ts.
let env: ReturnType<typeof scriptedService>;
afterEach(async () => {
  vi.useRealTimers();
  await env?.cleanup();
});

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: AppError) => e.code);

describe('TerminalService: opening', () => {
  it('opens a session labelled with its share and attendee, at the asked size, and lists it', async () => {
    env = scriptedService();
    const s = await env.service.open(engineOpen('r1', { shareId: 'sh1', attendeeId: 'a1', attendeeName: 'Ada', cols: 120, rows: 40 }));
    expect(s.info()).toMatchObject({ id: s.id, shareId: 'sh1', attendeeId: 'a1', attendeeName: 'Ada', host: 'local', lab: 'lab1', node: 'r1', via: 'engine', cols: 120, rows: 40, bytesIn: 0, bytesOut: 0, broadcast: false, spectators: 0 });
    expect(env.service.list().map((i) => i.id)).toEqual([s.id]);
    expect(env.service.get(s.id)).toBe(s);
  });

  it('refuses a node that does not exist or does not run, saying which', async () => {
    env = scriptedService();
    await expect(env.service.open(engineOpen('missing'))).rejects.toMatchObject({ code: 'not_found', field: 'node', message: expect.stringContaining('node missing (lab lab1)') });
    await expect(env.service.open(engineOpen('stopped'))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('is exited') });
    expect(env.shells).toHaveLength(0);
  });

  it('clamps a nonsense size instead of handing the pty a 0x0 window', async () => {
    env = scriptedService();
    const s = await env.service.open(engineOpen('r1', { cols: 0, rows: 100000 }));
    expect(s.info()).toMatchObject({ cols: 2, rows: 500 });
  });
});

describe('TerminalService: per-attendee limit', () => {
  it('refuses one more session than the limit for that attendee, counts opens in progress, and frees the slot on close', async () => {
    env = scriptedService();
    const ada = (extra = {}) => engineOpen('r1', { shareId: 'sh1', attendeeId: 'a1', attendeeName: 'Ada', maxPerAttendee: 2, ...extra });
    const release = env.hold();
    const first = env.service.open(ada());
    const second = env.service.open(ada());
    // Both are still connecting: a third must not slip in between.
    await expect(env.service.open(ada())).rejects.toMatchObject({ code: 'rate_limited', message: 'Ada already has 2 terminals open, the limit for this share' });
    release();
    const [s1] = await Promise.all([first, second]);
    // Another attendee, and the same attendee id in another share, are counted apart.
    await env.service.open(engineOpen('r1', { shareId: 'sh1', attendeeId: 'a2', maxPerAttendee: 2 }));
    await env.service.open(engineOpen('r1', { shareId: 'sh2', attendeeId: 'a1', maxPerAttendee: 2 }));
    expect(await codeOf(env.service.open(ada()))).toBe('rate_limited');
    s1.close('done');
    expect(await codeOf(env.service.open(ada()))).toBe('resolved');
  });

  it('keeps a global cap whoever asks', async () => {
    env = scriptedService({ limits: { maxSessions: 2 } });
    await env.service.open(engineOpen('r1'));
    await env.service.open(engineOpen('r2'));
    await expect(env.service.open(engineOpen('r3'))).rejects.toMatchObject({ code: 'rate_limited' });
  });
});

describe('TerminalService: ending sessions', () => {
  it('kill ends the session at once: viewers hear the reason, the shell is closed, the list is empty', async () => {
    env = scriptedService();
    const s = await env.service.open(engineOpen('r1'));
    const heard: string[] = [];
    s.onExit((r) => heard.push(r));
    expect(env.service.kill(s.id, 'killed by the owner')).toBe(true);
    expect(heard).toEqual(['killed by the owner']);
    expect(env.shells[0].closed).toBe(true);
    expect(env.service.list()).toEqual([]);
    expect(env.service.get(s.id)).toBeUndefined();
    expect(env.service.kill(s.id, 'again')).toBe(false);
    // Late listeners still learn how it ended; writes after the end go nowhere.
    const late = await new Promise<string>((resolve) => s.onExit(resolve));
    expect(late).toBe('killed by the owner');
    s.write('ls\r');
    expect(env.shells[0].written).toHaveLength(0);
  });

  it('a shell that ends by itself ends the session with its reason', async () => {
    env = scriptedService();
    const s = await env.service.open(engineOpen('r1'));
    const reason = new Promise<string>((resolve) => s.onExit(resolve));
    env.shells[0].exit('the shell exited with code 0');
    expect(await reason).toBe('the shell exited with code 0');
    expect(env.service.list()).toEqual([]);
  });

  it('killWhere ends an attendee\'s sessions (or a share\'s), never the owner\'s own, and an empty filter ends nothing', async () => {
    env = scriptedService();
    const a1 = await env.service.open(engineOpen('r1', { shareId: 'sh1', attendeeId: 'a1' }));
    const a1b = await env.service.open(engineOpen('r2', { shareId: 'sh1', attendeeId: 'a1' }));
    const a2 = await env.service.open(engineOpen('r1', { shareId: 'sh1', attendeeId: 'a2' }));
    const other = await env.service.open(engineOpen('r1', { shareId: 'sh2', attendeeId: 'a9' }));
    const owner = await env.service.open(engineOpen('r1'));
    expect(env.service.killWhere({}, 'everything?')).toBe(0);
    expect(env.service.killWhere({ shareId: 'sh1', attendeeId: 'a1' }, 'attendee revoked')).toBe(2);
    expect(env.service.list().map((i) => i.id).sort()).toEqual([a2.id, other.id, owner.id].sort());
    expect([a1, a1b].map((s) => env.service.get(s.id))).toEqual([undefined, undefined]);
    expect(env.service.killWhere({ shareId: 'sh1' }, 'share ended')).toBe(1);
    expect(env.service.list().map((i) => i.id).sort()).toEqual([other.id, owner.id].sort());
  });

  it('an open still connecting when its attendee is revoked fails, and its shell is closed', async () => {
    env = scriptedService();
    const release = env.hold();
    const opening = env.service.open(engineOpen('r1', { shareId: 'sh1', attendeeId: 'a1' }));
    expect(env.service.killWhere({ attendeeId: 'a1' }, 'attendee revoked')).toBe(0);
    release();
    await expect(opening).rejects.toMatchObject({ code: 'refused', message: expect.stringContaining('attendee revoked') });
    expect(env.shells[0].closed).toBe(true);
    expect(env.service.list()).toEqual([]);
  });

  it('closes a session idle past its timeout; input or output in between postpones it', async () => {
    vi.useFakeTimers();
    env = scriptedService();
    const s = await env.service.open(engineOpen('r1', { attendeeId: 'a1', idleTimeoutMs: 60_000 }));
    const ended = vi.fn();
    s.onExit(ended);
    await vi.advanceTimersByTimeAsync(50_000);
    env.shells[0].emit('output keeps it alive');
    await vi.advanceTimersByTimeAsync(50_000);
    s.write('so does input');
    await vi.advanceTimersByTimeAsync(59_000);
    expect(ended).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ended).toHaveBeenCalledWith('closed after 1 min without input or output');
    expect(env.shells[0].closed).toBe(true);
  });
});

describe('TerminalService: watch mode', () => {
  it('shows the owner\'s session read-only: spectators get output and the end, and no way to write', async () => {
    env = scriptedService();
    const owner = await env.service.open(engineOpen('r1'));
    expect(env.service.broadcastOf('sh1')).toBeUndefined();
    env.shells[0].emit('before\r\n');
    env.service.setBroadcast(owner.id, 'sh1');
    expect(owner.info()).toMatchObject({ broadcast: true, broadcastTo: 'sh1' });
    const view = env.service.broadcastOf('sh1')!;
    // Not the session behind a narrower type: an object that has no write/resize/close at all.
    expect(Object.keys(view).sort()).toEqual(['backlog', 'id', 'info', 'onData', 'onExit']);
    expect(view.id).toBe(owner.id);
    expect(view.info()).toMatchObject({ cols: 80, rows: 24, broadcastTo: 'sh1' });
    expect(Object.isFrozen(view)).toBe(true);
    expect((view as unknown as { write?: unknown }).write).toBeUndefined();
    expect(view.backlog().toString()).toBe('before\r\n');
    const seen: string[] = [];
    view.onData((c) => seen.push(c.toString()));
    env.shells[0].emit('after');
    expect(seen).toEqual(['after']);
    env.service.spectate(owner.id, 1);
    env.service.spectate(owner.id, 1);
    env.service.spectate(owner.id, -1);
    expect(owner.info().spectators).toBe(1);
    const end = new Promise<string>((resolve) => view.onExit(resolve));
    owner.close('the owner closed it');
    expect(await end).toBe('the owner closed it');
    expect(env.service.broadcastOf('sh1')).toBeUndefined();
  });

  it('refuses to broadcast an attendee\'s session; one broadcast per share, the newest wins; a share\'s end stops it', async () => {
    env = scriptedService();
    const att = await env.service.open(engineOpen('r1', { shareId: 'sh1', attendeeId: 'a1' }));
    expect(() => env.service.setBroadcast(att.id, 'sh1')).toThrow(AppError);
    expect(() => env.service.setBroadcast('nope', 'sh1')).toThrow(/no terminal session/);
    const first = await env.service.open(engineOpen('r1'));
    const second = await env.service.open(engineOpen('r2'));
    env.service.setBroadcast(first.id, 'sh1');
    env.service.setBroadcast(second.id, 'sh1');
    expect(first.info().broadcast).toBe(false);
    expect(second.info()).toMatchObject({ broadcast: true, broadcastTo: 'sh1' });
    env.shells[2].emit('from r2');
    expect(env.service.broadcastOf('sh1')!.backlog().toString()).toBe('from r2');
    env.service.killWhere({ shareId: 'sh1' }, 'share ended');
    expect(env.service.broadcastOf('sh1')).toBeUndefined();
    expect(second.info().broadcast).toBe(false);
    expect(env.service.get(second.id)).toBe(second); // the owner's terminal goes on
  });
});

describe('TerminalService: output, backlog and events', () => {
  it('keeps a bounded backlog: the newest bytes, never more than the bound', async () => {
    env = scriptedService({ limits: { backlogBytes: 1000 } });
    const s = await env.service.open(engineOpen('r1'));
    for (let i = 0; i < 50; i++) env.shells[0].emit(Buffer.alloc(97, 48 + (i % 10)));
    const b = s.backlog();
    expect(b.length).toBe(1000);
    expect(b.subarray(-97)).toEqual(Buffer.alloc(97, 48 + 9));
    env.shells[0].emit(Buffer.alloc(5000, 65));
    expect(s.backlog()).toEqual(Buffer.alloc(1000, 65));
    expect(s.info().bytesOut).toBe(50 * 97 + 5000);
  });

  it('counts input and output, passes input and resizes to the shell, and drops a viewer that throws', async () => {
    env = scriptedService();
    const s = await env.service.open(engineOpen('r1'));
    s.write('ls\r');
    s.resize(100, 30);
    s.resize(100, 30); // unchanged: not sent again
    expect(Buffer.concat(env.shells[0].written).toString()).toBe('ls\r');
    expect(env.shells[0].sizes).toEqual([[100, 30]]);
    const good: string[] = [];
    s.onData(() => {
      throw new Error('broken viewer');
    });
    s.onData((c) => good.push(c.toString()));
    env.shells[0].emit('a');
    env.shells[0].emit('b');
    expect(good).toEqual(['a', 'b']);
    expect(s.info()).toMatchObject({ bytesIn: 3, bytesOut: 2, cols: 100, rows: 30 });
  });

  it('announces opens and ends on the next tick, and byte counters at most once per interval', async () => {
    vi.useFakeTimers();
    env = scriptedService({ limits: { countersEveryMs: 1000 } });
    const events: TerminalSessionInfo[][] = [];
    env.service.onChanged((l) => events.push(l));
    const s = await env.service.open(engineOpen('r1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map((e) => e.length)).toEqual([1]);
    for (let i = 0; i < 100; i++) env.shells[0].emit('x');
    await vi.advanceTimersByTimeAsync(999);
    expect(events).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toHaveLength(2);
    expect(events[1][0].bytesOut).toBe(100);
    env.shells[0].emit('y');
    s.close('bye'); // an end does not wait for the counters' interval
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toHaveLength(3);
    expect(events[2]).toEqual([]);
  });
});
