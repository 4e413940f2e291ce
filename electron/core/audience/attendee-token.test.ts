import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashSecret, issueSecret, newAttendeeId, parseToken, SECRET_BYTES, secretMatches } from './attendee-token';

describe('attendee tokens', () => {
  it('carry 256 random bits; only the SHA-256 of the secret is kept', () => {
    const id = newAttendeeId();
    const { token, hash } = issueSecret(id);
    const parsed = parseToken(token)!;
    expect(parsed.attendeeId).toBe(id);
    expect(Buffer.from(parsed.secret, 'base64url')).toHaveLength(SECRET_BYTES);
    expect(SECRET_BYTES * 8).toBeGreaterThanOrEqual(128);
    expect(hash).toBe(createHash('sha256').update(parsed.secret).digest('hex'));
    expect(hash).not.toContain(parsed.secret);
    expect(token).not.toContain(hash);
  });

  it('are never the same twice', () => {
    const id = newAttendeeId();
    const tokens = new Set(Array.from({ length: 200 }, () => issueSecret(id).token));
    expect(tokens.size).toBe(200);
    expect(new Set(Array.from({ length: 200 }, newAttendeeId)).size).toBe(200);
  });

  it('match their own hash only', () => {
    const a = issueSecret(newAttendeeId());
    const b = issueSecret(newAttendeeId());
    const sa = parseToken(a.token)!.secret;
    expect(secretMatches(sa, a.hash)).toBe(true);
    expect(secretMatches(sa, b.hash)).toBe(false);
    // One character off, anywhere, is a different secret.
    const flipped = sa.slice(0, -1) + (sa.endsWith('A') ? 'B' : 'A');
    expect(secretMatches(flipped, a.hash)).toBe(false);
    // A stored value that is not a digest never matches (and does not throw).
    expect(secretMatches(sa, '')).toBe(false);
    expect(secretMatches(sa, 'zz')).toBe(false);
    expect(secretMatches(sa, hashSecret(sa).slice(0, 62))).toBe(false);
  });

  it('refuse anything that is not <16 hex>.<43 base64url> before any lookup', () => {
    const { token } = issueSecret(newAttendeeId());
    expect(parseToken(token)).toBeDefined();
    for (const bad of ['', '.', token.replace('.', ''), `${token}x`, token.slice(1), token.toUpperCase(), `../${token}`, token.replace('.', '..'), 'get-shares.list', 'shares.list']) {
      expect(parseToken(bad), bad).toBeUndefined();
    }
  });

  it('compare in constant time: the comparison is a fixed-length digest compare, whatever the input', () => {
    // timingSafeEqual throws on different lengths: secrets of any length must still compare (as false).
    const { hash } = issueSecret(newAttendeeId());
    for (const s of ['', 'a', 'x'.repeat(43), 'x'.repeat(10_000)]) expect(secretMatches(s, hash)).toBe(false);
  });
});
