import { describe, expect, it } from 'vitest';
import { ThroughputMeter } from './throughput';

describe('ThroughputMeter', () => {
  const start = 1_700_000_000_000; // a multiple of 5 s
  const setup = () => {
    const clock = { now: start };
    return { clock, meter: new ThroughputMeter(() => clock.now) };
  };

  it('adds bytes to the current bucket and shifts them left as time passes', () => {
    const { clock, meter } = setup();
    meter.add('in', 100);
    meter.add('out', 7);
    clock.now += 4999;
    meter.add('in', 1);
    let s = meter.snapshot();
    expect(s.bucketMs).toBe(5000);
    expect(s.in).toHaveLength(12);
    expect(s.in[11]).toBe(101);
    expect(s.out[11]).toBe(7);
    clock.now += 1; // next bucket
    meter.add('out', 5);
    s = meter.snapshot();
    expect(s.in.slice(10)).toEqual([101, 0]);
    expect(s.out.slice(10)).toEqual([7, 5]);
    clock.now += 50_000;
    s = meter.snapshot();
    expect(s.in[0]).toBe(101);
    expect(s.out.slice(0, 2)).toEqual([7, 5]);
  });

  it('ages everything out after a minute, even when idle in between', () => {
    const { clock, meter } = setup();
    meter.add('in', 10);
    clock.now += 60_000;
    expect(meter.snapshot().in).toEqual(new Array(12).fill(0));
    clock.now += 10 * 60_000; // a long idle gap
    meter.add('in', 3);
    expect(meter.snapshot().in).toEqual([...new Array(11).fill(0), 3]);
  });

  it('keeps counting into the current bucket when the clock steps back', () => {
    const { clock, meter } = setup();
    meter.add('in', 1);
    clock.now -= 20_000;
    meter.add('in', 2);
    expect(meter.snapshot().in[11]).toBe(3);
  });
});
