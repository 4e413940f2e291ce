import { describe, expect, it } from 'vitest';
import { webOrigin } from './web-origin';

describe('webOrigin', () => {
  it('takes http and https origins', () => {
    expect(webOrigin('http://127.0.0.1:8080')?.host).toBe('127.0.0.1:8080');
    expect(webOrigin('https://Example.COM')?.host).toBe('example.com');
  });
  it('refuses null, other schemes and garbage', () => {
    for (const o of ['null', 'file://', 'chrome-extension://abc', 'ws://x', '', '::']) expect(webOrigin(o)).toBeUndefined();
  });
});
