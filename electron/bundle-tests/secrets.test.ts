/**
 * Secrets at rest on the desktop, through the built main bundle and a real core, with the
 * electron STAND-IN's safeStorage (stand-in/world.ts; it encrypts like Chromium's OSCrypt on
 * Linux: `v11` with a keyring key, `v10` with the built-in "peanuts" key for basic_text).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry, ProviderInfo } from '../../shared/model';
import { bundlePaths, call, startApp, type Bridge, type RunningApp } from './load-bundle';
import { StandInSafeStorage } from './stand-in/os-integration';
import { World } from './stand-in';

let running: RunningApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const PROXY = 'http://alice:s3cret-pa55@127.0.0.1:3128';
const PROXY_SHOWN = 'http://alice@127.0.0.1:3128';

async function shownProxy(page: Bridge): Promise<unknown> {
  const r = await call(page, 'providers.list', {});
  return r.ok ? (r.result as ProviderInfo[]).find((p) => p.id === 'border0')?.settings.proxy : r;
}

function stored(dataDir: string): Record<string, Buffer> {
  const json = JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

function expectNoPlaintext(dataDir: string): void {
  for (const f of fs.readdirSync(dataDir)) {
    const file = path.join(dataDir, f);
    if (!fs.statSync(file).isFile()) continue;
    const text = fs.readFileSync(file, 'latin1');
    expect(text, f).not.toContain('s3cret-pa55');
    expect(text, f).not.toContain(Buffer.from(PROXY).toString('base64').slice(0, 24));
  }
}

describe('with an OS keyring (gnome_libsecret)', () => {
  it('encrypts through safeStorage, keeps no key file, and reads them back after a restart', async () => {
    running = await startApp({ safeStorage: { backend: 'gnome_libsecret' } });
    const page = await running.page();
    expect(running.logs).toContain('info: [secrets] secrets are encrypted by the OS keychain (safeStorage, gnome_libsecret)');
    expect(await call(page, 'providers.configure', { id: 'border0', proxy: PROXY })).toMatchObject({ ok: true });
    expect(running.e.world.called('safeStorage.encryptString')).toEqual([[PROXY]]);
    expect(stored(running.dataDir)['border0.proxy'].subarray(0, 3).toString()).toBe('v11');
    expect(fs.existsSync(path.join(running.dataDir, 'secrets.key'))).toBe(false);
    expectNoPlaintext(running.dataDir);
    // The page sees the proxy without its password.
    expect(await shownProxy(page)).toBe(PROXY_SHOWN);
    const dataDir = running.dataDir;
    await running.stop();

    running = await startApp({ userData: dataDir, safeStorage: { backend: 'gnome_libsecret' } });
    expect(await shownProxy(await running.page())).toBe(PROXY_SHOWN);
    expect(running.e.world.called('safeStorage.decryptString').length).toBeGreaterThan(0);
  });
});

describe("with safeStorage's basic_text backend (Linux without a keyring)", () => {
  it('says why and uses the key-file cipher instead; secrets basic_text wrote earlier stay readable', async () => {
    // An earlier version stored the proxy with safeStorage on this same machine: a `v10` blob.
    const dataDir = fs.mkdtempSync(path.join(bundlePaths().dir, 'data-'));
    const earlier = new World({ userData: dataDir, appPath: dataDir, safeStorage: { backend: 'basic_text' } });
    earlier.ready = true;
    const old = new StandInSafeStorage(earlier).encryptString('http://bob:old-pa55@127.0.0.1:3128');
    fs.writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify({ 'border0.proxy': old.toString('base64') }), { mode: 0o600 });

    running = await startApp({ userData: dataDir, safeStorage: { backend: 'basic_text' } });
    const page = await running.page();
    const why = running.logs.find((l) => l.startsWith('warn: [secrets]'));
    expect(why).toContain(`the key in ${path.join(dataDir, 'secrets.key')}`);
    expect(why).toContain('"basic_text" backend here, which is not encryption');
    // ...and in the core's log, where the user reads it (the logs view), not only on a console.
    const logged = await call(page, 'logs.query', { level: 'warn', text: 'basic_text', limit: 5 });
    expect(logged.ok && (logged.result as LogEntry[]).map((e) => [e.source, e.message])).toEqual([['shell', why!.replace('warn: [secrets] ', '')]]);
    expect(await shownProxy(page)).toBe('http://bob@127.0.0.1:3128');

    expect(await call(page, 'providers.configure', { id: 'border0', proxy: PROXY })).toMatchObject({ ok: true });
    expect(running.e.world.called('safeStorage.encryptString')).toEqual([]);
    const blob = stored(dataDir)['border0.proxy'];
    expect(['v10', 'v11']).not.toContain(blob.subarray(0, 3).toString('latin1'));
    expect(fs.statSync(path.join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
    expectNoPlaintext(dataDir);
    await running.stop();

    running = await startApp({ userData: dataDir, safeStorage: { backend: 'basic_text' } });
    expect(await shownProxy(await running.page())).toBe(PROXY_SHOWN);
  });

  it('with no safeStorage at all, uses the key file too and says so', async () => {
    running = await startApp({ safeStorage: { available: false } });
    const page = await running.page();
    expect(running.logs.find((l) => l.startsWith('warn: [secrets]'))).toContain('safeStorage is not available (no OS keychain)');
    expect(await call(page, 'providers.configure', { id: 'border0', proxy: PROXY })).toMatchObject({ ok: true });
    expect(await shownProxy(page)).toBe(PROXY_SHOWN);
    expectNoPlaintext(running.dataDir);
  });
});

describe('after a keyring appears', () => {
  it('secrets the key file wrote are still read; new ones go to the keyring', async () => {
    running = await startApp({ safeStorage: { backend: 'basic_text' } });
    expect(await call(await running.page(), 'providers.configure', { id: 'border0', proxy: PROXY })).toMatchObject({ ok: true });
    const dataDir = running.dataDir;
    await running.stop();

    running = await startApp({ userData: dataDir, safeStorage: { backend: 'kwallet5' } });
    const page = await running.page();
    expect(await shownProxy(page)).toBe(PROXY_SHOWN);
    // The key-file blob was not handed to safeStorage (OSCrypt would return it as "clear text").
    expect(running.e.world.called('safeStorage.decryptString')).toEqual([]);
    expect(await call(page, 'providers.configure', { id: 'border0', proxy: 'http://carol:x@127.0.0.1:3129' })).toMatchObject({ ok: true });
    expect(stored(dataDir)['border0.proxy'].subarray(0, 3).toString()).toBe('v11');
  });
});
