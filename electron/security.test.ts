import { describe, expect, it } from 'vitest';
import {
  buildCsp,
  isAppUrl,
  isExternalUrlAllowed,
  isLoginPartition,
  isLoginUrlAllowed,
  loginPartition,
  type AppLocation,
} from './security';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as [string, string[]];
    }),
  );
}

describe('buildCsp', () => {
  it("starts from default-src 'none' and allows only our own scripts and styles", () => {
    const csp = buildCsp();
    expect(csp.startsWith("default-src 'none'")).toBe(true);
    const d = directives(csp);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:']);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('in development adds only the dev server origin and its websocket', () => {
    const csp = buildCsp({ devServerUrl: 'http://localhost:5173' });
    expect(csp.startsWith("default-src 'none'")).toBe(true);
    const d = directives(csp);
    expect(d.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(d.get('script-src')).toContain('http://localhost:5173');
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(d.get('img-src')).toEqual(["'self'", 'data:']);
  });
});

describe('isExternalUrlAllowed', () => {
  it.each([
    ['https://border0.com/docs', true],
    ['http://example.org:8080/x?y=1', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://server/share', false],
    ['vscode://file/x', false],
    ['data:text/html,<script>1</script>', false],
    ['https://user:pass@example.org/', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, ok) => {
    expect(isExternalUrlAllowed(url)).toBe(ok);
  });
});

describe('isAppUrl', () => {
  const app: AppLocation = { kind: 'app', url: 'app://clab-publisher/index.html' };
  const dev: AppLocation = { kind: 'dev', url: 'http://localhost:5173' };

  it('accepts our app origin, any path, hash or query', () => {
    expect(isAppUrl(app.url, app)).toBe(true);
    expect(isAppUrl('app://clab-publisher/index.html#/tunnels', app)).toBe(true);
    expect(isAppUrl('app://clab-publisher/assets/index-abc.js?x=1', app)).toBe(true);
    expect(isAppUrl('app://clab-publisher/', app)).toBe(true);
  });

  it('refuses other hosts, schemes, file: pages and junk', () => {
    expect(isAppUrl('app://other/index.html', app)).toBe(false);
    expect(isAppUrl('app://clab-publisher:8080/index.html', app)).toBe(false);
    expect(isAppUrl('app://user:pw@clab-publisher/index.html', app)).toBe(false);
    expect(isAppUrl('file:///opt/clab-publisher/resources/app.asar/.vite/renderer/main_window/index.html', app)).toBe(false);
    expect(isAppUrl('https://clab-publisher/index.html', app)).toBe(false);
    expect(isAppUrl('https://evil.example/', app)).toBe(false);
    expect(isAppUrl('about:blank', app)).toBe(false);
    expect(isAppUrl('garbage', app)).toBe(false);
  });

  it('never counts file: as ours, even if asked to', () => {
    const file: AppLocation = { kind: 'app', url: 'file:///opt/x/index.html' };
    expect(isAppUrl('file:///opt/x/index.html', file)).toBe(false);
  });

  it('in development accepts the dev server origin only', () => {
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5173/index.html#/logs', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAppUrl('file:///opt/x/index.html', dev)).toBe(false);
    expect(isAppUrl('app://clab-publisher/index.html', dev)).toBe(false);
  });
});

describe('login windows', () => {
  it('may visit https anywhere and http only on loopback', () => {
    expect(isLoginUrlAllowed('https://portal.border0.com/login')).toBe(true);
    expect(isLoginUrlAllowed('http://127.0.0.1:41234/callback')).toBe(true);
    expect(isLoginUrlAllowed('http://localhost:8080/')).toBe(true);
    expect(isLoginUrlAllowed('http://[::1]:8080/')).toBe(true);
    expect(isLoginUrlAllowed('http://portal.border0.com/login')).toBe(false);
    expect(isLoginUrlAllowed('file:///etc/passwd')).toBe(false);
    expect(isLoginUrlAllowed('javascript:alert(1)')).toBe(false);
  });

  it('use a login-only session partition', () => {
    expect(loginPartition('border0', true)).toBe('persist:login-border0');
    expect(loginPartition('border0', false)).toBe('login-border0');
    expect(() => loginPartition('../x', true)).toThrow();
    expect(isLoginPartition('persist:login-border0')).toBe(true);
    expect(isLoginPartition('login-tmp-0a1b')).toBe(true);
    expect(isLoginPartition('')).toBe(false);
    expect(isLoginPartition('persist:main')).toBe(false);
  });
});

describe('SECURE_WEB_PREFERENCES', () => {
  it('keeps the checklist: isolation, sandbox, no node, no webview', async () => {
    const { SECURE_WEB_PREFERENCES: p } = await import('./security');
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webviewTag: false, webSecurity: true, allowRunningInsecureContent: false });
  });
});
