import { AppError } from '../../../shared/rpc-errors';

/**
 * Where the border0 service lives. Defaults are the public service; each can be moved with
 * the environment variable the border0 and mysocketctl clients read (docs/border0.md, "Endpoints and configuration"),
 * which is also how the tests point the app at the local stand-in.
 */
export const BORDER0_DEFAULTS = {
  apiUrl: 'https://api.border0.com/api/v1',
  portalUrl: 'https://portal.border0.com',
  tunnelServer: 'tunnel.border0.com:22',
  legacyApiUrl: 'https://api.mysocket.io',
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

/** Pure: reads only `env` and `overrides`. Precedence: overrides, then env, then defaults. */
export function border0Config(env: Env, overrides: Border0ConfigOverrides = {}): Border0Config {
  const pick = (override: string | undefined, name: string, fallback: string): [string, string] => {
    if (override?.trim()) return [override.trim(), 'the border0 settings'];
    const fromEnv = env[name]?.trim();
    // An empty variable is how shells "unset" in docker-compose files: treat it as absent.
    return fromEnv ? [fromEnv, name] : [fallback, 'the default'];
  };
  const tunnel = overrides.tunnelServer;
  return {
    apiUrl: httpUrl(...pick(overrides.apiUrl, 'BORDER0_API', BORDER0_DEFAULTS.apiUrl)),
    portalUrl: httpUrl(...pick(overrides.portalUrl, 'BORDER0_WEB_URL', BORDER0_DEFAULTS.portalUrl)),
    tunnelServer:
      typeof tunnel === 'object'
        ? { ...tunnel }
        : hostPort(...pick(tunnel, 'BORDER0_TUNNEL', BORDER0_DEFAULTS.tunnelServer)),
    legacyApiUrl: httpUrl(...pick(overrides.legacyApiUrl, 'MYSOCKET_API', BORDER0_DEFAULTS.legacyApiUrl)),
    authHeader: overrides.authHeader ?? 'x-access-token',
  };
}

/** Trailing slashes are dropped so paths can be joined with one `/`. */
function httpUrl(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('invalid_params', `${from} is not a URL: "${value}"`, 'Use e.g. https://api.border0.com/api/v1');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('invalid_params', `${from} must be an http(s) URL, not "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

/** `host`, `host:port` or `[v6]:port`; the SSH port 22 when none is given. */
function hostPort(value: string, from: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(value);
  const port = m?.[3] === undefined ? 22 : Number(m[3]);
  if (!m || port < 1 || port > 65535) {
    throw new AppError('invalid_params', `${from} must be host[:port], not "${value}"`, 'e.g. tunnel.border0.com:22');
  }
  return { host: m[1] ?? m[2], port };
}
