import { describe, expect, it } from 'vitest';
import { parseArgs } from './cli-args';
import { defaultDataDir } from './data-dir';
import { originAllowed, tokenMatches } from './origin-check';

describe('originAllowed', () => {
  it('accepts scripts without Origin and the page we served', () => {
    expect(originAllowed(undefined, '127.0.0.1:4711', '127.0.0.1', 4711)).toBe(true);
    expect(originAllowed('http://127.0.0.1:4711', '127.0.0.1:4711', '127.0.0.1', 4711)).toBe(true);
    expect(originAllowed('http://localhost:4711', 'localhost:4711', '127.0.0.1', 4711)).toBe(true);
  });
  it('refuses other sites, other ports, rebinding names and garbage', () => {
    expect(originAllowed('http://evil.example:4711', '127.0.0.1:4711', '127.0.0.1', 4711)).toBe(false);
    expect(originAllowed('http://127.0.0.1:9999', '127.0.0.1:4711', '127.0.0.1', 4711)).toBe(false);
    expect(originAllowed('http://evil.example:4711', 'evil.example:4711', '127.0.0.1', 4711)).toBe(false);
    expect(originAllowed('null', '127.0.0.1:4711', '127.0.0.1', 4711)).toBe(false);
    expect(originAllowed('file://', '127.0.0.1:4711', '127.0.0.1', 4711)).toBe(false);
  });
  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches(null, 'abc')).toBe(false);
  });
});

describe('cli', () => {
  it('parses serve options with loopback defaults', () => {
    expect(parseArgs(['serve'])).toEqual({ command: 'serve', host: '127.0.0.1', port: 4711 });
    expect(parseArgs(['serve', '--port', '0', '--data-dir', '/tmp/x', '--host', '0.0.0.0'])).toEqual({ command: 'serve', host: '0.0.0.0', port: 0, dataDir: '/tmp/x' });
  });
  it('says what is wrong with bad arguments', () => {
    expect(() => parseArgs(['serve', '--port', 'abc'])).toThrow(/--port abc: expected a whole number/);
    expect(() => parseArgs(['serve', '--port'])).toThrow(/--port needs a value/);
    expect(() => parseArgs(['serve', '--bogus'])).toThrow(/unknown option "--bogus"/);
    expect(() => parseArgs(['publish'])).toThrow(/unknown command "publish"/);
  });
  it('uses the platform app data folder', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/clab-publisher');
    expect(defaultDataDir({ APPDATA: 'C:\\AppData' }, 'win32')).toMatch(/clab-publisher$/);
  });
});

describe('CSP', () => {
  it('is one policy for the host and the page, from default-src none, without frame-ancestors in <meta>', async () => {
    const { CSP } = await import('./security-headers');
    const { buildCsp } = await import('../../shared/csp');
    expect(CSP).toMatch(/^default-src 'none'; script-src 'self';/);
    expect(CSP).toContain("frame-ancestors 'none'");
    expect(buildCsp({ forMeta: true })).not.toContain('frame-ancestors');
  });
});
