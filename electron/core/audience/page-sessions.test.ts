import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../shared/audience-protocol';
import { FakeTerminals, type FakeSession } from './audience-test-helpers';
import { PageSessions, type PageLink } from './page-sessions';

class Page implements PageLink {
  readonly got: ServerMessage[] = [];
  endedWith?: string;
  constructor(
    readonly shareId: string,
    readonly attendeeId: string,
  ) {}
  send(m: ServerMessage): void {
    this.got.push(m);
  }
  end(reason: string): void {
    this.endedWith = reason;
  }
  text(sid: string): string {
    return this.got.filter((m): m is Extract<ServerMessage, { t: 'data' }> => m.t === 'data' && m.sid === sid).map((m) => m.d).join('');
  }
}

/** Timers the test fires by hand. */
function manualTimers() {
  const timers = new Map<number, () => void>();
  let n = 0;
  return {
    setTimer: (fn: () => void) => {
      timers.set(++n, fn);
      return n as unknown as ReturnType<typeof setTimeout>;
    },
    clearTimer: (t: ReturnType<typeof setTimeout>) => void timers.delete(t as unknown as number),
    fireAll: () => [...timers.entries()].forEach(([k, fn]) => (timers.delete(k), fn())),
    get pending() {
      return timers.size;
    },
  };
}

async function setup() {
  const timers = manualTimers();
  const changes: string[] = [];
  const book = new PageSessions({ graceMs: 60_000, changed: (s, a) => changes.push(`${s}/${a}`), ...timers });
  const terms = new FakeTerminals();
  const open = async (page: Page, node = 'r1') => {
    const s = (await terms.open({ target: { host: 'local', lab: 'lab1', node, via: 'engine' }, shareId: page.shareId, attendeeId: page.attendeeId, cols: 80, rows: 24 })) as FakeSession;
    book.adopt(page, s, node);
    return s;
  };
  return { book, terms, timers, changes, open };
}

describe('page-session bookkeeping', () => {
  it('shows a session on the page that opened it; another attendee cannot reach it by id', async () => {
    const { book, open } = await setup();
    const ada = new Page('s1', 'ada');
    const bob = new Page('s1', 'bob');
    const other = new Page('s2', 'ada');
    book.addPage(ada);
    book.addPage(bob);
    const s = await open(ada);
    s.print('hello ');
    s.print(Buffer.from('wörld', 'utf8').subarray(0, 2)); // a UTF-8 character split across chunks
    s.print(Buffer.from('wörld', 'utf8').subarray(2));
    expect(ada.text(s.id)).toBe('hello wörld');
    expect(book.owned(ada, s.id)?.session).toBe(s);
    expect(book.owned(bob, s.id)).toBeUndefined();
    // The same attendee id on another share is somebody else too.
    expect(book.owned(other, s.id)).toBeUndefined();
    expect(book.reattach(bob, s.id)).toBeUndefined();
    expect(bob.got).toEqual([]);
    expect(book.count('s1', 'ada')).toEqual({ pages: 1, sessions: 1 });
    expect(book.count('s1', 'bob')).toEqual({ pages: 1, sessions: 0 });
  });

  it('keeps a session while its page is away, replays what it printed when the page comes back', async () => {
    const { book, open, timers } = await setup();
    const first = new Page('s1', 'ada');
    book.addPage(first);
    const s = await open(first);
    s.print('before ');
    book.removePage(first);
    s.print('while away');
    expect(first.text(s.id)).toBe('before ');
    expect(timers.pending).toBe(1);
    const again = new Page('s1', 'ada');
    book.addPage(again);
    expect(book.reattach(again, s.id)?.session).toBe(s);
    expect(timers.pending).toBe(0);
    expect(again.text(s.id)).toBe('before while away');
    s.print('!');
    expect(again.text(s.id)).toBe('before while away!');
    expect(s.closedWith).toBeUndefined();
  });

  it('closes a session whose page does not come back within the grace time', async () => {
    const { book, open, timers, terms } = await setup();
    const page = new Page('s1', 'ada');
    book.addPage(page);
    const s = await open(page);
    book.removePage(page);
    timers.fireAll();
    expect(s.closedWith).toMatch(/did not come back/);
    expect(terms.sessions.size).toBe(0);
    expect(book.count('s1', 'ada')).toEqual({ pages: 0, sessions: 0 });
  });

  it('moves a session to the page that attaches it; the old page is told', async () => {
    const { book, open } = await setup();
    const a = new Page('s1', 'ada');
    const b = new Page('s1', 'ada');
    book.addPage(a);
    book.addPage(b);
    const s = await open(a);
    book.reattach(b, s.id);
    expect(a.got.at(-1)).toEqual({ t: 'exit', sid: s.id, reason: 'opened in another window' });
    s.print('x');
    expect(a.text(s.id)).toBe('');
    expect(b.text(s.id)).toBe('x');
    expect(book.attachedTo(a)).toBe(0);
    expect(book.attachedTo(b)).toBe(1);
  });

  it('a session that ends is cleared and its page told why', async () => {
    const { book, open, changes } = await setup();
    const page = new Page('s1', 'ada');
    book.addPage(page);
    const s = await open(page);
    changes.length = 0;
    s.close('node closed the shell');
    expect(page.got.at(-1)).toEqual({ t: 'exit', sid: s.id, reason: 'node closed the shell' });
    expect(book.owned(page, s.id)).toBeUndefined();
    expect(changes).toEqual(['s1/ada']);
  });

  it('ends the pages of one attendee, or of the whole share, and nobody else\'s', async () => {
    const { book } = await setup();
    const ada = new Page('s1', 'ada');
    const ada2 = new Page('s1', 'ada');
    const bob = new Page('s1', 'bob');
    const carl = new Page('s2', 'carl');
    for (const p of [ada, ada2, bob, carl]) book.addPage(p);
    expect(book.endPages('s1', 'ada', 'revoked')).toBe(2);
    expect([ada.endedWith, ada2.endedWith, bob.endedWith, carl.endedWith]).toEqual(['revoked', 'revoked', undefined, undefined]);
    expect(book.endPages('s1', undefined, 'share expired')).toBe(1);
    expect(bob.endedWith).toBe('share expired');
    expect(carl.endedWith).toBeUndefined();
    expect(book.pagesOf('s1')).toEqual([]);
  });
});
