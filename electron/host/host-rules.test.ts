import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseArgs } from './cli-args';
import { hostTokenProblem } from './host-token';
import { installLastResort } from './last-resort';
import { parseTarget } from './request-target';

describe('hostTokenProblem', () => {
  it('accepts random tokens of 32 characters and more', () => {
    for (let i = 0; i < 200; i++) {
      expect(hostTokenProblem(randomBytes(16).toString('hex'))).toBeUndefined();
      expect(hostTokenProblem(randomBytes(24).toString('base64url'))).toBeUndefined();
    }
    expect(hostTokenProblem('correct-horse-battery-staple-1234')).toBeUndefined();
    // From randomBytes(16): 16 of its 31 neighbours one apart or equal (1 in 70,000 tokens).
    expect(hostTokenProblem('787d2221dbc067810fa6011112f03431')).toBeUndefined();
  });
  it('refuses short, repetitive, sequential and URL-unsafe tokens, saying what to do', () => {
    expect(hostTokenProblem('hunter2')).toMatch(/7 characters long: use at least 32 random characters, e\.g\. .*openssl rand/);
    expect(hostTokenProblem('a'.repeat(64))).toMatch(/too predictable/);
    expect(hostTokenProblem('ab'.repeat(20))).toMatch(/too predictable/);
    expect(hostTokenProblem('abcdefghijklmnopqrstuvwxyz0123456789')).toMatch(/too predictable/);
    expect(hostTokenProblem(`${randomBytes(24).toString('base64url')}&x=1`)).toMatch(/characters a URL would change/);
    expect(hostTokenProblem('hunter2')).not.toContain('hunter2');
  });
});

describe('parseTarget', () => {
  it('returns the decoded path and the query of an origin-form target', () => {
    const t = parseTarget('/assets/a%20b.js?token=x');
    expect(t).toMatchObject({ ok: true, path: '/assets/a b.js' });
    expect(t.ok && t.query.get('token')).toBe('x');
    expect(parseTarget('/a/../../etc/passwd')).toMatchObject({ ok: true, path: '/etc/passwd' });
  });
  it('refuses, with a reason and never by throwing, what is not one', () => {
    for (const [raw, status, why] of [
      [undefined, 400, /no path/],
      ['//', 400, /single "\/"/],
      ['//evil.example/x', 400, /single "\/"/],
      ['*', 400, /single "\/"/],
      ['http://a/b', 400, /single "\/"/],
      ['/%E0%A4%A', 400, /malformed %-escape/],
      ['/a%00b', 400, /NUL/],
      ['/a%0d%0aSet-Cookie:x', 400, /control character/],
      [`/${'a'.repeat(3000)}`, 414, /longer than 2048/],
    ] as const) {
      expect(parseTarget(raw), String(raw)).toEqual({ ok: false, status, why: expect.stringMatching(why) });
    }
  });
});

describe('installLastResort', () => {
  it('logs an escaped error with its stack and keeps going; a storm of them stops the process with 70', () => {
    const proc = new EventEmitter();
    const said: string[] = [];
    const exits: number[] = [];
    const remove = installLastResort(proc, { say: (l) => said.push(l), exit: (c) => exits.push(c), maxErrors: 3, windowMs: 60_000 });
    proc.emit('uncaughtException', new Error('boom'));
    proc.emit('unhandledRejection', 'just a string');
    expect(said[0]).toMatch(/^internal error \(uncaught exception\), kept serving: Error: boom\n\s+at /);
    expect(said[1]).toMatch(/unhandled promise rejection.*just a string/);
    expect(exits).toEqual([]);
    proc.emit('uncaughtException', new Error('again'));
    proc.emit('uncaughtException', new Error('and again'));
    expect(exits).toEqual([70]);
    remove();
    expect(proc.listenerCount('uncaughtException') + proc.listenerCount('unhandledRejection')).toBe(0);
  });
});

describe('serve --max-clients', () => {
  it('takes a whole number from 1', () => {
    expect(parseArgs(['serve', '--max-clients', '8'])).toMatchObject({ maxClients: 8 });
    expect(() => parseArgs(['serve', '--max-clients', '0'])).toThrow(/--max-clients 0: expected a whole number from 1/);
  });
});
