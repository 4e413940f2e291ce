import { buildCsp } from '../../shared/csp';

/** The shared CSP (from `default-src 'none'`) plus the usual hardening headers. */
export const CSP = buildCsp();

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // allow-popups: the page must be able to close the border0 login tab it opened.
  'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};
