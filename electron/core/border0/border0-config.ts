import { AppError } from '../../../shared/rpc-errors';

/**
 * Where the border0 service lives. Defaults are the public service; each can be moved with
 * the environment variables the border0 clients read (docs/border0.md, "Endpoints and
 * configuration"), which is also how the tests point the app at the local stand-in.
 *
 * The token travels to the API URL (and the browser login to the portal URL), so both must
 * be https: plain http is accepted only on this computer's loopback, where nobody on the way
 * can read it (the tests' stand-in).
 */
export const BORDER0_DEFAULTS = {
  apiUrl: 'https://api.border0.com/api/v1',
  portalUrl: 'https://portal.border0.com',
  tunnelServer: 'tunnel.border0.com:22',
  legacyApiUrl: 'https://api.mysocket.io',
} as const;

/**
 * The variables each setting is read from, first one set wins: the CLI's name first, then the
 * SDK's, then containerlab's (BORDER0_PORTAL).
 */
export const BORDER0_ENV = {
  apiUrl: ['BORDER0_API', 'BORDER0_BASE_URL'],
  portalUrl: ['BORDER0_WEB_URL', 'BORDER0_PORTAL_BASE_URL', 'BORDER0_PORTAL'],
  tunnelServer: ['BORDER0_TUNNEL'],
  legacyApiUrl: ['MYSOCKET_API'],
  /** Tokens offered for import: containerlab's, then the SDK's. */
  token: ['BORDER0_ADMIN_TOKEN', 'BORDER0_AUTH_TOKEN'],
} as const;

/** Header that carries the token: the service's own `x-access-token`, or newer SDKs' bearer. */
export type Border0AuthHeader = 'x-access-token' | 'bearer';

export interface Border0Config {
  apiUrl: string;
  portalUrl: string;
  tunnelServer: { host: string; port: number };
  legacyApiUrl: string;
  authHeader: Border0AuthHeader;
}

/** Values set by the app itself (settings, tests); they win over the environment. */
export interface Border0ConfigOverrides {
  apiUrl?: string;
  portalUrl?: string;
  tunnelServer?: string | { host: string; port: number };
  legacyApiUrl?: string;
  authHeader?: Border0AuthHeader;
}

type Env = Record<string, string | undefined>;
/** A value and where it came from, for error messages. */
type Sourced = [value: string, from: string, field?: string];

/** Pure: reads only `env` and `overrides`. Precedence: overrides, then env, then defaults. */
export function border0Config(env: Env, overrides: Border0ConfigOverrides = {}): Border0Config {
  const pick = (override: string | undefined, names: readonly string[], fallback: string, field: string): Sourced => {
    if (override?.trim()) return [override.trim(), 'the border0 settings', field];
    for (const name of names) {
      const fromEnv = env[name]?.trim();
      // An empty variable is how shells "unset" in docker-compose files: treat it as absent.
      if (fromEnv) return [fromEnv, name, undefined];
    }
    return [fallback, 'the default', undefined];
  };
  const tunnel = overrides.tunnelServer;
  return {
    apiUrl: tokenUrl(...pick(overrides.apiUrl, BORDER0_ENV.apiUrl, BORDER0_DEFAULTS.apiUrl, 'apiUrl'), 'API URL'),
    portalUrl: tokenUrl(...pick(overrides.portalUrl, BORDER0_ENV.portalUrl, BORDER0_DEFAULTS.portalUrl, 'portalUrl'), 'portal URL'),
    tunnelServer:
      typeof tunnel === 'object'
        ? { ...tunnel }
        : hostPort(...pick(tunnel, BORDER0_ENV.tunnelServer, BORDER0_DEFAULTS.tunnelServer, 'tunnelServer')),
    legacyApiUrl: tokenUrl(...pick(overrides.legacyApiUrl, BORDER0_ENV.legacyApiUrl, BORDER0_DEFAULTS.legacyApiUrl, 'legacyApiUrl'), 'mysocket API URL'),
    authHeader: overrides.authHeader ?? 'x-access-token',
  };
}

/** The first token variable that is set, with its name. */
export function tokenFromEnv(env: Env): { token: string; from: string } | undefined {
  for (const name of BORDER0_ENV.token) {
    const token = env[name]?.trim();
    if (token) return { token, from: name };
  }
  return undefined;
}

/** 127.0.0.0/8, ::1 and `localhost`: the only hosts plain http (or a proxy password over http) may go to. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!v4 && Number(v4[1]) === 127 && v4.slice(2).every((o) => Number(o) <= 255);
}

/**
 * A URL the token (or the login) is sent to: https, or http on loopback only. Trailing slashes
 * are dropped so paths can be joined with one `/`.
 */
function tokenUrl(value: string, from: string, field: string | undefined, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('invalid_params', `${from}: the border0 ${what} is not a URL: "${value}"`, 'Use e.g. https://api.border0.com/api/v1', field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('invalid_params', `${from}: the border0 ${what} must be an https URL, not "${value}"`, undefined, field);
  }
  if (url.username || url.password) {
    throw new AppError('invalid_params', `${from}: the border0 ${what} must not carry a user or password`, 'Remove the "user:password@" part.', field);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new AppError(
      'invalid_params',
      `${from}: the border0 ${what} must use https: http://${url.host} would carry the border0 token unencrypted`,
      'Use https://; plain http is accepted only on this computer (127.0.0.1, ::1, localhost).',
      field,
    );
  }
  return value.replace(/\/+$/, '');
}

/**
 * A proxy URL: `http://` or `https://` (TLS to the proxy). A user and password go to the proxy
 * with every connection, so over plain http only to a proxy on this computer.
 */
export function checkProxyUrl(value: string, from = 'the border0 settings'): string {
  let url: URL;
  const shown = value.replace(/\/\/[^@/]*@/, '//***@');
  try {
    url = new URL(value);
  } catch {
    throw new AppError('invalid_params', `${from}: the proxy is not a URL: "${shown}"`, 'Write it http://[user:password@]host:port or https://…', 'proxy');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('invalid_params', `${from}: the proxy must be an http:// or https:// URL, not ${url.protocol}//`, 'HTTP CONNECT proxies only (no SOCKS).', 'proxy');
  }
  if (!url.hostname) throw new AppError('invalid_params', `${from}: the proxy URL names no host`, undefined, 'proxy');
  if ((url.username || url.password) && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new AppError(
      'invalid_params',
      `${from}: the proxy password would travel unencrypted to ${url.host} (http://)`,
      'Use https:// for a proxy that needs a password, or a proxy on this computer.',
      'proxy',
    );
  }
  return value;
}

/** `host`, `host:port` or `[v6]:port`; the SSH port 22 when none is given. */
function hostPort(value: string, from: string, field?: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(value);
  const port = m?.[3] === undefined ? 22 : Number(m[3]);
  if (!m || port < 1 || port > 65535) {
    throw new AppError('invalid_params', `${from}: the tunnel server must be host[:port], not "${value}"`, 'e.g. tunnel.border0.com:22', field);
  }
  return { host: m[1] ?? m[2], port };
}
