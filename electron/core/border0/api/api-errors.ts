import type { ErrorCode } from '../../../../shared/contract';
import { AppError } from '../../../../shared/rpc-errors';

/**
 * Why a border0 call failed, so callers can react without parsing messages:
 * `unauthorized` → ask for a new login, `rate_limited` → wait `retryAfterMs`,
 * `network` / `timeout` → retry later, `http` → show the service's own message.
 */
export type Border0ErrorKind = 'unauthorized' | 'rate_limited' | 'http' | 'network' | 'timeout' | 'invalid_response';

export const UNAUTHORIZED_MESSAGE = 'border0: not logged in or the token expired — log in again';
/** Used when a 429 carries no usable Retry-After header. */
export const DEFAULT_RETRY_AFTER_MS = 30_000;

export class Border0ApiError extends AppError {
  constructor(
    readonly kind: Border0ErrorKind,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    message: string,
    hint?: string,
    readonly retryAfterMs?: number,
  ) {
    super(codeFor(kind, status), message, hint);
    this.name = 'Border0ApiError';
  }
}

/** Builds the error for a non-2xx answer; `body` is the raw text, `what` e.g. `GET socket`. */
export function httpError(status: number, statusText: string, body: string, retryAfter: string | null, what: string): Border0ApiError {
  if (status === 401) return new Border0ApiError('unauthorized', 401, UNAUTHORIZED_MESSAGE);
  if (status === 429) {
    const ms = parseRetryAfter(retryAfter) ?? DEFAULT_RETRY_AFTER_MS;
    const message = `border0 is rate limiting requests: the app backs off and tries again in ${Math.ceil(ms / 1000)} s`;
    return new Border0ApiError('rate_limited', 429, message, undefined, ms);
  }
  // The service's own words are the most useful thing we can show; context goes to the hint.
  const message = errorMessageOf(body) ?? (statusText || `HTTP ${status}`);
  return new Border0ApiError('http', status, message, `border0 answered ${status} to ${what}`);
}

/** `fetch` failed before any answer: name the host, the proxy it went through, and the system's reason. */
export function networkError(host: string, err: unknown, via?: string): Border0ApiError {
  return new Border0ApiError('network', 0, `cannot reach ${host}${via ? ` through ${via}` : ''}: ${causeOf(err, host)}`, 'Check the network, proxy and the border0 API URL.');
}

export function timeoutError(host: string, ms: number, via?: string): Border0ApiError {
  return new Border0ApiError('timeout', 0, `${host}${via ? ` (through ${via})` : ''} did not answer within ${ms / 1000} s`, 'The app tries again later.');
}

/** `error_message`, else `message` (some answers carry only that: border0-go `APIErrorFrom`). */
function errorMessageOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error_message?: unknown; message?: unknown } | null;
    for (const m of [parsed?.error_message, parsed?.message]) if (typeof m === 'string' && m.trim()) return m.trim().slice(0, 500);
    return undefined;
  } catch {
    return undefined;
  }
}

/** Seconds or an HTTP date, per RFC 9110. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Node's fetch throws `TypeError('fetch failed')` with the socket error as `cause`, whose
 * message repeats the host ("getaddrinfo ENOTFOUND api.border0.com"): keep only the reason.
 * With several addresses the cause is an AggregateError with an empty message but a code.
 */
function causeOf(err: unknown, host: string): string {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  const c = cause as { message?: unknown; code?: unknown; errors?: unknown[] };
  let text = typeof c.message === 'string' ? c.message : '';
  if (!text && Array.isArray(c.errors)) text = (c.errors[0] as { message?: string } | undefined)?.message ?? '';
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  // The API host again adds nothing; another address (a proxy's) says where it failed: kept.
  const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  text = text.replace(` ${host}`, '').replace(new RegExp(` ${escape(hostname)}(?![:\\d])`), '').trim();
  return text || (typeof c.code === 'string' ? c.code : 'unknown network error');
}

function codeFor(kind: Border0ErrorKind, status: number): ErrorCode {
  if (kind === 'unauthorized') return 'refused';
  if (kind !== 'http') return kind === 'invalid_response' ? 'internal' : 'unavailable';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'invalid_params';
  return status >= 500 ? 'unavailable' : 'refused';
}
