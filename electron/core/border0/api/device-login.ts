import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../../../../shared/rpc-errors';
import type { Logger } from '../../logs/logger';
import type { Border0Api } from './api-client';
import { Border0ApiError } from './api-errors';
import { decodeJwtPayload } from './token';

/** The reference's polling schedule: 1 s growing ×1.3 up to 5 s, for at most 3 minutes. */
export const DEVICE_POLL = { firstMs: 1000, maxMs: 5000, factor: 1.3, giveUpMs: 3 * 60_000 } as const;

export const DEVICE_LOGIN_TIMEOUT_MESSAGE = 'the browser login was not completed within 3 minutes: try again';
export const DEVICE_LOGIN_CANCELLED_MESSAGE = 'the browser login was cancelled';

export interface DeviceLoginOptions {
  api: Pick<Border0Api, 'createDeviceAuthorization' | 'pollDeviceAuthorization'>;
  portalUrl: string;
  signal?: AbortSignal;
  /** Gets the portal page to open in a browser; called once, before polling starts. */
  onUrl(url: string): void;
  /** Injected by tests to run the schedule on a fake clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  log?: Logger;
}

/** Browser ("device authorization") login; resolves with the user's token. */
export async function runDeviceLogin(o: DeviceLoginOptions): Promise<string> {
  const sleep = o.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  const now = o.now ?? Date.now;
  try {
    const started = now();
    const { token: deviceToken } = await o.api.createDeviceAuthorization(o.signal);
    const identifier = decodeJwtPayload(deviceToken).identifier;
    if (typeof identifier !== 'string' || !identifier) {
      throw new AppError('internal', 'border0 started a browser login without a device identifier', 'Try again; if it persists the API URL may point to the wrong service.');
    }
    o.onUrl(`${o.portalUrl.replace(/\/+$/, '')}/login?device_identifier=${encodeURIComponent(identifier)}`);

    let wait: number = DEVICE_POLL.firstMs;
    for (;;) {
      throwIfCancelled(o.signal);
      let pause = wait;
      try {
        const status = await o.api.pollDeviceAuthorization(deviceToken, o.signal);
        if (status.token && status.state !== 'not_authorized') return status.token;
      } catch (err) {
        pause = Math.max(wait, retryableDelay(err, o.log));
      }
      const left = started + DEVICE_POLL.giveUpMs - now();
      if (left <= 0) throw new AppError('unavailable', DEVICE_LOGIN_TIMEOUT_MESSAGE);
      // The last wait is cut short so one final poll lands on the deadline itself.
      await sleep(Math.min(pause, left), o.signal);
      wait = Math.min(DEVICE_POLL.maxMs, Math.round(wait * DEVICE_POLL.factor));
    }
  } catch (err) {
    if (o.signal?.aborted) throw new AppError('refused', DEVICE_LOGIN_CANCELLED_MESSAGE);
    throw err;
  }
}

/**
 * Every answer but a ready token is retried until the 3 minutes are up, as the border0 CLI
 * does: the service answers 401 while the user has not signed in yet, and a passing network
 * or server error must not end a login the user is in the middle of. Only a failure that is
 * not the service's answer at all (a bug) ends it at once.
 */
function retryableDelay(err: unknown, log?: Logger): number {
  if (!(err instanceof Border0ApiError)) throw err;
  if (err.kind === 'unauthorized') log?.debug('browser login: not signed in yet (401), polling again');
  else log?.warn(`browser login: polling failed, trying again: ${err.message}`);
  return err.retryAfterMs ?? 0;
}

function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('refused', DEVICE_LOGIN_CANCELLED_MESSAGE);
}

export type PasswordLoginResult = { token: string } | { mfaRequired: true; firstToken: string };

/** Email + password login (deprecated by the service, still used by older accounts). */
export async function passwordLogin(o: { api: Pick<Border0Api, 'login'>; email: string; password: string }): Promise<PasswordLoginResult> {
  const email = o.email.trim();
  if (!email) throw new AppError('invalid_params', 'enter the email of the border0 account', undefined, 'email');
  if (!o.password) throw new AppError('invalid_params', 'enter the password of the border0 account', undefined, 'password');
  const answer = await o.api.login(email, o.password);
  return answer.require_mfa ? { mfaRequired: true, firstToken: answer.token } : { token: answer.token };
}

/** Second step when `passwordLogin` said MFA is required. */
export async function completeMfa(o: { api: Pick<Border0Api, 'mfaChallenge'>; firstToken: string; code: string }): Promise<{ token: string }> {
  // Authenticator apps show the code as "123 456": accept it the way it is read out.
  const code = o.code.replace(/\s+/g, '');
  if (!/^\d{6,8}$/.test(code)) throw new AppError('invalid_params', 'the MFA code is the 6 digits your authenticator app shows', undefined, 'code');
  const { token } = await o.api.mfaChallenge(o.firstToken, code);
  return { token };
}
