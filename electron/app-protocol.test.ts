import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PAGE_URL, createRendererHandler, resolveUnder } from './app-protocol';

const CSP = "default-src 'none'; script-src 'self'";
let dir: string;
let root: string;
let handler: (r: Request) => Promise<Response>;
const logged: string[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-publisher-app-protocol-'));
  root = path.join(dir, 'renderer', 'main_window');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><script type="module" src="./assets/index.js"></script>');
  fs.writeFileSync(path.join(root, 'assets', 'index.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'style.CSS'), 'body{}');
  // A secret next to the UI folder: nothing may reach it.
  fs.writeFileSync(path.join(dir, 'renderer', 'secret.txt'), 'top secret');
  fs.mkdirSync(path.join(root, 'folder'));
  handler = createRendererHandler({ root, csp: CSP, log: (m) => logged.push(m) });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('the app:// protocol handler', () => {
  it('serves index.html and assets with their type, the CSP and nosniff', async () => {
    const page = await get(APP_PAGE_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<script type="module"');

    const js = await get('app://clab-publisher/assets/index.js?v=1#x');
    expect(js.status).toBe(200);
    // Module scripts are refused unless served with a JavaScript MIME type.
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(CSP);
    expect((await get('app://clab-publisher/assets/style.CSS')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await (await get('app://clab-publisher/')).text()).toContain('<!doctype html>');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(APP_PAGE_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get(APP_PAGE_URL, 'POST')).status).toBe(405);
  });

  it.each([
    'app://clab-publisher/%2e%2e/secret.txt',
    'app://clab-publisher/..%2fsecret.txt',
    'app://clab-publisher/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://clab-publisher/assets%5c..%5c..%5csecret.txt',
    'app://clab-publisher/index.html%00.js',
  ])('refuses %s before reading anything', async (url) => {
    const res = await get(url);
    expect([403, 404]).toContain(res.status);
    expect(await res.text()).not.toContain('top secret');
  });

  it('keeps the URL parser\'s own ".." inside the folder', async () => {
    // new URL() already folds /../ away: what is left must still be under root.
    const res = await get('app://clab-publisher/../../secret.txt');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('top secret');
  });

  it('404s other hosts, folders and missing files; says so when the UI is not built', async () => {
    expect((await get('app://other-host/index.html')).status).toBe(404);
    expect((await get('app://clab-publisher/folder')).status).toBe(404);
    expect((await get('app://clab-publisher/nope.js')).status).toBe(404);
    const empty = createRendererHandler({ root: path.join(dir, 'missing'), csp: CSP });
    const res = await empty(new Request(APP_PAGE_URL));
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/the UI is not built/);
  });
});

describe('resolveUnder', () => {
  it('maps paths inside root and nothing else', () => {
    expect(resolveUnder('/r', '/a/b.js')).toBe(path.resolve('/r/a/b.js'));
    expect(resolveUnder('/r', '/')).toBe(path.resolve('/r/index.html'));
    expect(resolveUnder('/r', '/a/')).toBe(path.resolve('/r/a/index.html'));
    expect(resolveUnder('/r', '/../x')).toBeUndefined();
    expect(resolveUnder('/r', '/%2e%2e/x')).toBeUndefined();
    expect(resolveUnder('/r', '/%E0%A4%A')).toBeUndefined();
    expect(resolveUnder('/r', '/a%2Fb')).toBeUndefined();
  });
});
