/**
 * The one Content-Security-Policy of the UI, for the Electron window, the headless host's
 * responses and the built page's <meta> tag alike.
 */

export interface CspOptions {
  /** The Vite dev server origin (`electron-forge start`); absent in a packaged app. */
  devServerUrl?: string;
  /** For a <meta http-equiv> tag, which cannot carry frame-ancestors. */
  forMeta?: boolean;
}

/**
 * The window's Content-Security-Policy. Starts from `default-src 'none'` and allows only what
 * the bundled renderer needs. In development Vite injects an inline React-refresh preamble and
 * `<style>` tags and talks to its dev server over a WebSocket, so only then are the dev origin,
 * its `ws:` twin and inline script/style allowed.
 */
export function buildCsp(opts: CspOptions = {}): string {
  const dev = opts.devServerUrl ? new URL(opts.devServerUrl) : undefined;
  const devOrigin = dev?.origin;
  const devWs = dev ? `${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}` : undefined;
  const extra = (...xs: (string | undefined)[]) => xs.filter(Boolean).map((x) => ` ${x}`).join('');
  return [
    "default-src 'none'",
    `script-src 'self'${dev ? extra(devOrigin, "'unsafe-inline'") : ''}`,
    `style-src 'self'${dev ? extra(devOrigin, "'unsafe-inline'") : ''}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${extra(devOrigin, devWs)}`,
    "base-uri 'none'",
    "form-action 'none'",
    opts.forMeta ? undefined : "frame-ancestors 'none'",
    "object-src 'none'",
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * The audience page's own policy (a separate app on its own listener): its script, its
 * stylesheet and its WebSocket on its own origin, inline SVG for the QR code, nothing else.
 * No 'unsafe-inline' anywhere: the page's state travels as a JSON data block, which no
 * browser runs.
 */
export function buildAudienceCsp(opts: { forMeta?: boolean } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    opts.forMeta ? undefined : "frame-ancestors 'none'",
    "object-src 'none'",
  ]
    .filter(Boolean)
    .join('; ');
}
