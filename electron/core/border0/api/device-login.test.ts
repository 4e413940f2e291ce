import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCa, startBorder0Standin, type Standin } from '../../../../test-support/border0-standin';
import { AppError } from '../../../../shared/rpc-errors';
import { LogStore } from '../../logs/log-store';
import { Border0Api } from './api-client';
import { Border0ApiError } from './api-errors';
import { completeMfa, DEVICE_LOGIN_CANCELLED_MESSAGE, DEVICE_LOGIN_TIMEOUT_MESSAGE, passwordLogin, runDeviceLogin } from './device-login';
import { decodeToken } from './token';

let dir: string;
let standin: Standin;
let logs: LogStore;
let api: Border0Api;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'border0-login-test-'));
  const ca = await makeCa(dir);
  const hostKey = await makeCa(dir, 'tunnel_host_ed25519');
  standin = await startBorder0Standin({ caKeyPath: ca.caKeyPath, tunnelServer: { host: '127.0.0.1', port: 2222 }, hostKeyPub: hostKey.caPub });
  logs = new LogStore();
  api = new Border0Api({ baseUrl: standin.apiUrl, getToken: () => undefined, authHeader: 'x-access-token', log: logs.logger('border0') });
});
afterAll(async () => {
  await standin?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const isPoll = (r: { method: string; path: string }) => r.method === 'GET' && r.path === '/api/v1/device_authorizations';
const polls = () => standin.requests.filter(isPoll).length;
/** Resolves once the stand-in has answered one more poll than it had when called. */
const nextPoll = () => {
  const seen = polls();
  return standin.waitForRequest((r) => isPoll(r) && standin.requests.filter(isPoll).indexOf(r) >= seen);
};

/** A clock that only moves when the login sleeps: three minutes pass in milliseconds. */
function fakeClock() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
}

describe('browser (device) login against the stand-in', () => {
  it('opens the portal with the device identifier and returns the user token once signed in', async () => {
    const start = standin.requests.length;
    let opened = '';
    const token = await runDeviceLogin({
      api,
      portalUrl: standin.portalUrl,
      onUrl: (url) => {
        opened = url;
        // Sign in only after the app has seen "not authorized" at least once.
        void nextPoll().then(() => standin.authorizeDevice());
      },
    });
    expect(decodeToken(token)).toMatchObject({ user_id: standin.userId, user_email: standin.email });
    const created = standin.requests[start];
    expect(created).toMatchObject({ method: 'POST', path: '/api/v1/device_authorizations', body: undefined, headers: { 'x-access-token': false, authorization: false } });
    const m = new RegExp(`^${standin.portalUrl}/login\\?device_identifier=([0-9a-f-]{36})$`).exec(opened);
    expect(m).not.toBeNull();
    const pollsMade = standin.requests.slice(start).filter(isPoll);
    expect(pollsMade.length).toBeGreaterThanOrEqual(2);
    expect(pollsMade.every((r) => r.headers['x-access-token'] && !r.headers.authorization)).toBe(true);
  });

  it('works through the portal page’s Sign in button (plain HTTP, no script)', async () => {
    let browser: Promise<void> = Promise.reject(new Error('onUrl was not called'));
    browser.catch(() => {});
    const token = await runDeviceLogin({
      api,
      portalUrl: standin.portalUrl,
      onUrl: (url) => {
        // Plays the user's browser; awaited below so its assertions count.
        browser = (async () => {
          const page = await fetch(url);
          const html = await page.text();
          expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
          expect(html).toMatch(/<button id="sign-in" type="submit">Sign in<\/button>/);
          const form = /<form method="post" action="([^"]+)">.*name="device_identifier" value="([^"]+)"/.exec(html);
          const done = await fetch(new URL(form![1], url), { method: 'POST', body: new URLSearchParams({ device_identifier: form![2] }) });
          expect(await done.text()).toContain('You can close this window');
        })();
      },
    });
    await browser;
    expect(decodeToken(token).user_id).toBe(standin.userId);
    const unknown = await fetch(`${standin.portalUrl}/login?device_identifier=nope`);
    expect(unknown.status).toBe(404);
  });

  it('polls 1 s growing ×1.3 to 5 s and gives up after exactly 3 minutes', async () => {
    const clock = fakeClock();
    const before = polls();
    const err = await runDeviceLogin({ api, portalUrl: standin.portalUrl, onUrl: () => {}, ...clock }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe(DEVICE_LOGIN_TIMEOUT_MESSAGE);
    expect(DEVICE_LOGIN_TIMEOUT_MESSAGE).toBe('the browser login was not completed within 3 minutes: try again');
    expect(clock.sleeps.slice(0, 9)).toEqual([1000, 1300, 1690, 2197, 2856, 3713, 4827, 5000, 5000]);
    expect(Math.max(...clock.sleeps)).toBe(5000);
    expect(clock.sleeps.reduce((a, b) => a + b)).toBe(180_000);
    // One poll right away, one after every sleep (the last one on the deadline).
    expect(polls() - before).toBe(clock.sleeps.length + 1);
  });

  it('keeps polling through 401 (not signed in yet) and every other error until the user signs in', async () => {
    const clock = fakeClock();
    const start = standin.requests.length;
    const token = await runDeviceLogin({
      api,
      portalUrl: standin.portalUrl,
      onUrl: () => {
        standin.failNext(503, { error_message: 'maintenance' });
        standin.failNext(400, { message: 'bad request' });
        standin.failNext(200, 'not json');
      },
      log: logs.logger('border0.login'),
      now: clock.now,
      sleep: async (ms) => {
        await clock.sleep(ms);
        if (clock.sleeps.length === 5) standin.authorizeDevice();
      },
    });
    expect(decodeToken(token).user_id).toBe(standin.userId);
    const warned = logs.query({ limit: 100, level: 'warn' }).map((e) => e.message);
    expect(warned).toEqual(expect.arrayContaining(['browser login: polling failed, trying again: maintenance', 'browser login: polling failed, trying again: bad request']));
    // The stand-in, like the service, answers 401 while the user has not signed in: polled through.
    const answered401 = standin.requests.slice(start).filter(isPoll).length - 3 - 1;
    expect(answered401).toBeGreaterThanOrEqual(2);
    expect(clock.sleeps).toEqual([1000, 1300, 1690, 2197, 2856]);
  });

  it('is not fooled by an empty token or a token still marked not_authorized', async () => {
    const clock = fakeClock();
    const early = standin.issueToken({ expInSeconds: 5 });
    const token = await runDeviceLogin({
      api,
      portalUrl: standin.portalUrl,
      onUrl: () => {
        standin.failNext(200, { token: '', state: 'authorized' });
        standin.failNext(200, { token: early, state: 'not_authorized' });
      },
      now: clock.now,
      sleep: async (ms) => {
        await clock.sleep(ms);
        if (clock.sleeps.length === 2) standin.authorizeDevice();
      },
    });
    expect(token).not.toBe(early);
    expect(decodeToken(token).user_id).toBe(standin.userId);
    expect(clock.sleeps).toEqual([1000, 1300]);
  });

  it('is cancelled by its AbortSignal: during a poll, during the wait, before starting', async () => {
    const inFlight = new AbortController();
    const err = await runDeviceLogin({ api, portalUrl: standin.portalUrl, signal: inFlight.signal, onUrl: () => void nextPoll().then(() => inFlight.abort()) }).catch((e: unknown) => e);
    expect((err as AppError).message).toBe(DEVICE_LOGIN_CANCELLED_MESSAGE);

    // Abort once the first answer is in, i.e. while the real 1 s wait runs.
    const waiting = new AbortController();
    const started = Date.now();
    const pollThenAbort: typeof api.pollDeviceAuthorization = async (token, signal) => {
      try {
        return await api.pollDeviceAuthorization(token, signal); // 401: nobody signed in yet
      } finally {
        setImmediate(() => waiting.abort());
      }
    };
    const during = await runDeviceLogin({
      api: { createDeviceAuthorization: (s) => api.createDeviceAuthorization(s), pollDeviceAuthorization: pollThenAbort },
      portalUrl: standin.portalUrl,
      signal: waiting.signal,
      onUrl: () => {},
    }).catch((e: unknown) => e);
    expect((during as AppError).message).toBe(DEVICE_LOGIN_CANCELLED_MESSAGE);
    expect(Date.now() - started).toBeLessThan(900);

    const before = standin.requests.length;
    const early = await runDeviceLogin({ api, portalUrl: standin.portalUrl, signal: AbortSignal.abort(), onUrl: () => {} }).catch((e: unknown) => e);
    expect((early as AppError).message).toBe('the browser login was cancelled');
    expect(standin.requests.length).toBe(before);
  });
});

describe('email and password login against the stand-in', () => {
  it('returns the token directly when no MFA is required', async () => {
    const result = await passwordLogin({ api, email: ` ${standin.email} `, password: standin.password });
    expect('token' in result && decodeToken(result.token).user_id).toBe(standin.userId);
  });

  it('asks for the MFA code, then trades the first token for a user token', async () => {
    standin.setRequireMfa(true);
    try {
      const first = await passwordLogin({ api, email: standin.email, password: standin.password });
      if (!('mfaRequired' in first)) throw new Error('expected an MFA step');
      // The first token is good for the challenge only.
      const asUser = new Border0Api({ baseUrl: standin.apiUrl, getToken: () => first.firstToken, authHeader: 'x-access-token', log: logs.logger('t') });
      expect((await asUser.listSockets().catch((e: Border0ApiError) => e)) as Border0ApiError).toMatchObject({ kind: 'unauthorized' });

      const wrong = await completeMfa({ api, firstToken: first.firstToken, code: '654321' }).catch((e: unknown) => e);
      expect((wrong as Border0ApiError).message).toBe('border0: the MFA code was not accepted: try again');
      const { token } = await completeMfa({ api, firstToken: first.firstToken, code: '123 456' });
      expect(decodeToken(token).user_id).toBe(standin.userId);
      expect(standin.requests.at(-1)).toMatchObject({ path: '/api/v1/users/mfa_challenge', body: { code: '123456' }, headers: { 'x-access-token': true } });
    } finally {
      standin.setRequireMfa(false);
    }
  });

  it('checks its inputs before calling the service', async () => {
    const before = standin.requests.length;
    await expect(passwordLogin({ api, email: ' ', password: 'x' })).rejects.toMatchObject({ code: 'invalid_params', field: 'email' });
    await expect(completeMfa({ api, firstToken: 'x.y.z', code: '12ab' })).rejects.toMatchObject({ code: 'invalid_params', field: 'code' });
    expect(standin.requests.length).toBe(before);
  });
});
