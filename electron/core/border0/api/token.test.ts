import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/rpc-errors';
import { decodeJwtPayload, decodeToken, isExpired, sshUsername, summarizeToken } from './token';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: unknown) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;

describe('border0 token', () => {
  const userId = 'b0a1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
  const full = jwt({ user_id: userId, exp: 2_000_000_000, user_email: 'a@b.c', org_id: 'o-1', org_subdomain: 'acme', extra: 1 });

  it('decodes the claims it uses without verifying the signature', () => {
    expect(decodeToken(full)).toEqual({ user_id: userId, exp: 2_000_000_000, user_email: 'a@b.c', org_id: 'o-1', org_subdomain: 'acme' });
  });

  it('decodes base64url payloads (- and _ instead of + and /)', () => {
    // "?>?" encodes to "Pz4/" in base64 and "Pz4_" in base64url.
    const token = jwt({ user_email: '?>?' });
    expect(token.split('.')[1]).toMatch(/[-_]/);
    expect(decodeToken(token).user_email).toBe('?>?');
  });

  it('tolerates missing or mistyped claims and reads a string exp', () => {
    expect(decodeToken(jwt({}))).toEqual({});
    expect(decodeToken(jwt({ user_id: 42, exp: 'soon', org_id: null }))).toEqual({});
    expect(decodeToken(jwt({ exp: '1700000000' })).exp).toBe(1_700_000_000);
    expect(decodeJwtPayload(jwt({ identifier: 'dev-1' })).identifier).toBe('dev-1');
  });

  it('refuses what is not a JWT without echoing it', () => {
    for (const bad of ['', 'abc', 'a.b', 'a.!!!.c', `a.${b64([1])}.c`, `a.${Buffer.from('nope').toString('base64url')}.c`]) {
      const err = (() => {
        try {
          decodeToken(bad);
        } catch (e) {
          return e as AppError;
        }
      })();
      expect(err).toBeInstanceOf(AppError);
      expect(err?.code).toBe('invalid_params');
      if (bad.length > 3) expect(err?.message).not.toContain(bad);
    }
  });

  it('counts a token as expired 10 s before exp, and never without exp', () => {
    const exp = 1_700_000_000;
    expect(isExpired({ exp }, exp * 1000 - 10_001)).toBe(false);
    expect(isExpired({ exp }, exp * 1000 - 10_000)).toBe(true);
    expect(isExpired({ exp }, exp * 1000 + 1)).toBe(true);
    expect(isExpired({ service_account_id: 'sa' }, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('makes the tunnel-server login from the user id', () => {
    expect(sshUsername(userId)).toBe('b0a1c2d3e4f54a6b8c7d9e0f1a2b3c4d');
  });

  it('summarizes for the UI without the token', () => {
    const summary = summarizeToken(full, 0);
    expect(summary).toEqual({
      userId,
      sshUser: 'b0a1c2d3e4f54a6b8c7d9e0f1a2b3c4d',
      email: 'a@b.c',
      orgId: 'o-1',
      orgSubdomain: 'acme',
      expiresAt: 2_000_000_000_000,
      expired: false,
    });
    expect(JSON.stringify(summary)).not.toContain(full.split('.')[1]);
    expect(summarizeToken(jwt({ service_account_id: 'sa-1' }), Date.now())).toEqual({ serviceAccountId: 'sa-1', expired: false });
    expect(summarizeToken(full, 2_000_000_000_000).expired).toBe(true);
  });
});
