import { AppError } from '../../../../shared/rpc-errors';

/**
 * The claims of a border0 token the app uses. Clients decode without verifying (the service
 * holds the HS256 secret), so every claim is optional and type-checked on the way in.
 */
export interface Border0Claims {
  user_id?: string;
  /** Seconds since the epoch; service-account tokens may have none. */
  exp?: number;
  user_email?: string;
  org_id?: string;
  org_subdomain?: string;
  service_account_id?: string;
}

/** What the UI may know about a token: facts, never the token itself. */
export interface TokenSummary {
  userId?: string;
  email?: string;
  orgId?: string;
  orgSubdomain?: string;
  serviceAccountId?: string;
  /** Milliseconds since the epoch; absent when the token never expires. */
  expiresAt?: number;
  expired: boolean;
  /** The tunnel server's login name for this user, when the token names one. */
  sshUser?: string;
}

/** The service counts a token as expired 10 s early so a request in flight does not race it. */
export const EXPIRY_SKEW_MS = 10_000;

/** The raw JSON payload of any JWT, e.g. to read a device token's `identifier`. */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) throw notAToken();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw notAToken();
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw notAToken();
  return payload as Record<string, unknown>;
}

export function decodeToken(token: string): Border0Claims {
  const p = decodeJwtPayload(token);
  const claims: Border0Claims = {};
  for (const key of ['user_id', 'user_email', 'org_id', 'org_subdomain', 'service_account_id'] as const) {
    if (typeof p[key] === 'string' && p[key]) claims[key] = p[key];
  }
  // Some issuers write numeric claims as strings; a number either way is what we keep.
  const exp = typeof p.exp === 'string' ? Number(p.exp) : p.exp;
  if (typeof exp === 'number' && Number.isFinite(exp)) claims.exp = exp;
  return claims;
}

export function isExpired(claims: Border0Claims, nowMs: number): boolean {
  if (claims.exp === undefined) return false;
  return claims.exp * 1000 - EXPIRY_SKEW_MS <= nowMs;
}

/** The tunnel server's username: the user's UUID without its dashes. */
export function sshUsername(userId: string): string {
  return userId.replace(/-/g, '');
}

export function summarizeToken(token: string, nowMs: number): TokenSummary {
  const c = decodeToken(token);
  const summary: TokenSummary = { expired: isExpired(c, nowMs) };
  if (c.user_id) {
    summary.userId = c.user_id;
    summary.sshUser = sshUsername(c.user_id);
  }
  if (c.user_email) summary.email = c.user_email;
  if (c.org_id) summary.orgId = c.org_id;
  if (c.org_subdomain) summary.orgSubdomain = c.org_subdomain;
  if (c.service_account_id) summary.serviceAccountId = c.service_account_id;
  if (c.exp !== undefined) summary.expiresAt = c.exp * 1000;
  return summary;
}

// The message never quotes the input: it may be a real token pasted in the wrong place.
function notAToken(): AppError {
  return new AppError('invalid_params', 'this is not a border0 token (expected a JWT: three dot-separated parts)');
}
