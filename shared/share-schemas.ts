/** Parameter schemas of the `shares.*` methods (shared/contract.ts). */
import { z } from 'zod';
import { AUDIT_LIMIT_MAX, AUDIT_LIMIT_MIN, EXPIRY_PRESETS } from './share-model';

const name = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only');
const port = z.number().int().min(1).max(65535);

/** An IPv4/IPv6 address or CIDR (v4-mapped IPv6 included); zone ids are refused. */
export const sourceRule = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
  error: (iss) => `${JSON.stringify(iss.input)} is not an IPv4/IPv6 address or CIDR (e.g. 203.0.113.7, 198.51.100.0/24, 2001:db8::/48)`,
});
export const allowList = z.array(sourceRule).max(5000);
export const shareTitle = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), 'no control characters (line breaks, tabs)');
export const sharePortParam = z.strictObject({ node: name, port, allow: allowList.optional() });
export const shareUntil = z.union([z.enum(EXPIRY_PRESETS), z.literal('never'), z.number().int().positive()], {
  error: `expected one of ${EXPIRY_PRESETS.join(', ')}, "never", or a time in epoch milliseconds`,
});
export const auditLimit = z.number().int().min(AUDIT_LIMIT_MIN).max(AUDIT_LIMIT_MAX);


/** A person's name as the owner types it: shown on their page and in the audit. */
export const attendeeName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), 'no control characters (line breaks, tabs)');
export const attendeeId = z.string().regex(/^[0-9a-f]{16}$/, 'an attendee id from shares.audience');
export const terminalGrant = z.strictObject({ node: name, via: z.enum(['ssh', 'engine']) });
