import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { ActionRunner } from './use-action';

function setup() {
  const log: string[] = [];
  const runner = new ActionRunner({
    busy: (b) => log.push(`busy:${b}`),
    error: (p) => log.push(p ? `error:${p.message}|${p.hint ?? ''}` : 'error:-'),
    toastError: (err, context) => log.push(`toast-error:${context}: ${ApiError.describe(err).message}`),
    toastInfo: (m, hint) => log.push(`toast-info:${m}${hint ? `|${hint}` : ''}`),
  });
  return { runner, log };
}

/** A promise settled from outside, to hold an action in flight. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('ActionRunner', () => {
  it('is busy while running, confirms with a toast, hands the result to `then` and the caller', async () => {
    const { runner, log } = setup();
    let after: string | undefined;
    const r = await runner.run(async (name: string) => `${name}!`, { failure: 'Saving failed', success: (res) => ({ message: `saved ${res}`, hint: 'kept' }), then: (res) => (after = res) }, ['a']);
    expect(r).toBe('a!');
    expect(after).toBe('a!');
    expect(log).toEqual(['busy:true', 'toast-info:saved a!|kept', 'busy:false']);
  });

  it('puts a failure in the form when there is no toast context, clearing the old one first', async () => {
    const { runner, log } = setup();
    const r = await runner.run(async () => {
      throw new ApiError('invalid_params', 'port taken', 'choose another');
    }, {}, []);
    expect(r).toBeUndefined();
    expect(log).toEqual(['busy:true', 'error:-', 'error:port taken|choose another', 'busy:false']);
  });

  it('toasts a failure with its context (built from the arguments), never rejects, skips `then` and the confirmation', async () => {
    const { runner, log } = setup();
    let then = false;
    await expect(
      runner.run(async (id: string) => Promise.reject(new Error(`no ${id}`)), { failure: (id) => `Removing ${id} failed`, success: 'removed', then: () => (then = true) }, ['h1']),
    ).resolves.toBeUndefined();
    expect(then).toBe(false);
    expect(log).toEqual(['busy:true', 'toast-error:Removing h1 failed: no h1', 'busy:false']);
  });

  it('ignores a second run while one is in flight (double submit), unless not exclusive', async () => {
    const { runner, log } = setup();
    const d = deferred<number>();
    let calls = 0;
    const fn = () => {
      calls++;
      return d.promise;
    };
    const first = runner.run(fn, { failure: 'x' }, []);
    expect(await runner.run(fn, { failure: 'x' }, [])).toBeUndefined();
    expect(calls).toBe(1);
    expect(runner.running).toBe(true);
    d.resolve(7);
    expect(await first).toBe(7);
    expect(runner.running).toBe(false);

    const a = deferred<void>();
    const b = deferred<void>();
    const both = [runner.run(() => a.promise, { failure: 'x', exclusive: false }, []), runner.run(() => b.promise, { failure: 'x', exclusive: false }, [])];
    a.resolve();
    await both[0];
    // Still busy: the second change is out.
    expect(runner.running).toBe(true);
    b.reject(new Error('refused'));
    await both[1];
    expect(log).toEqual(['busy:true', 'busy:false', 'busy:true', 'toast-error:x: refused', 'busy:false']);
  });
});
