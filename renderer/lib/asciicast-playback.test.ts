import { describe, expect, it } from 'vitest';
import { parseAsciicast, eventLine, headerLine } from '../../shared/asciicast';
import { Playback, type PlaybackClock } from './asciicast-playback';

/** A clock the test moves by hand; timers fire as it passes them. */
function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  const clock: PlaybackClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => void (timers = timers.filter((t) => t.id !== h)),
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const t = timers[0];
      if (!t || t.at > until) break;
      timers.shift();
      now = t.at;
      t.fn();
    }
    now = until;
  };
  return { clock, advance };
}

const cast = parseAsciicast(
  headerLine({ version: 2, width: 80, height: 24 }) + eventLine(0.5, 'o', 'a') + eventLine(1.0, 'o', 'b') + eventLine(1.0, 'r', '100x30') + eventLine(3.0, 'o', 'c'),
);

function sink() {
  const log: string[] = [];
  return { log, sink: { write: (d: string) => log.push(`w:${d}`), resize: (c: number, r: number) => log.push(`r:${c}x${r}`), reset: () => log.push('reset') } };
}

describe('asciicast playback', () => {
  it('writes each event when its time comes, applies resizes, and stops at the end', () => {
    const { clock, advance } = manualClock();
    const { log, sink: s } = sink();
    const p = new Playback(cast, s, clock);
    expect(log).toEqual([]);
    p.play();
    expect(log).toEqual(['reset', 'r:80x24']);
    advance(499);
    expect(log.slice(2)).toEqual([]);
    advance(1);
    expect(log.slice(2)).toEqual(['w:a']);
    advance(500);
    expect(log.slice(2)).toEqual(['w:a', 'w:b', 'r:100x30']);
    advance(1999);
    expect(log).not.toContain('w:c');
    advance(1);
    expect(log.at(-1)).toBe('w:c');
    expect(p.playing).toBe(false);
    expect(p.position).toBe(3);
  });

  it('pause holds the position; play goes on from there', () => {
    const { clock, advance } = manualClock();
    const { log, sink: s } = sink();
    const p = new Playback(cast, s, clock);
    p.play();
    advance(700);
    p.pause();
    advance(10_000);
    expect(log.slice(2)).toEqual(['w:a']);
    expect(p.position).toBeCloseTo(0.7);
    p.play();
    advance(300);
    expect(log.slice(2)).toEqual(['w:a', 'w:b', 'r:100x30']);
  });

  it('seek redraws from the start up to the new position at once, playing or not', () => {
    const { clock, advance } = manualClock();
    const { log, sink: s } = sink();
    const p = new Playback(cast, s, clock);
    p.seek(2);
    expect(log).toEqual(['reset', 'r:80x24', 'w:ab', 'r:100x30']);
    p.play();
    advance(1000);
    expect(log.at(-1)).toBe('w:c');
    p.seek(0.6);
    expect(log.slice(-3)).toEqual(['reset', 'r:80x24', 'w:a']);
  });
});
