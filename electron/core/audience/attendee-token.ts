import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An attendee's link carries `<attendee id>.<secret>`. The id only says which entry to check
 * (it is not secret); the secret is 256 random bits, kept by the app as its SHA-256 alone, so
 * neither the settings file nor a backup of it opens anyone's page. A high-entropy secret
 * needs no slow hash: nobody can guess a 256-bit value, hashed or not.
 */
export const SECRET_BYTES = 32;
const ID_BYTES = 8;
const ID = /^[0-9a-f]{16}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedSecret {
  /** What goes into the link, shown to the owner once. */
  token: string;
  /** What is stored: hex SHA-256 of the secret. */
  hash: string;
}

export function newAttendeeId(): string {
  return randomBytes(ID_BYTES).toString('hex');
}

export function issueSecret(attendeeId: string): IssuedSecret {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { token: `${attendeeId}.${secret}`, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Splits a token from a URL; undefined when it cannot be one of ours (checked before any lookup). */
export function parseToken(token: string): { attendeeId: string; secret: string } | undefined {
  const dot = token.indexOf('.');
  if (dot < 0) return undefined;
  const attendeeId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  return ID.test(attendeeId) && SECRET.test(secret) ? { attendeeId, secret } : undefined;
}

/**
 * Whether `secret` is the one whose hash is stored. Both sides are compared as fixed-length
 * digests with timingSafeEqual: the time taken says nothing about how much of it matched.
 */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = createHash('sha256').update(secret, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  if (stored.length !== given.length) return false;
  return timingSafeEqual(given, stored);
}
