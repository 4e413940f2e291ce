/**
 * An Origin header as a URL when it names a web page (http or https), undefined otherwise:
 * `null`, `file:`, extension and garbage origins never match anything we serve.
 */
export function webOrigin(origin: string): URL | undefined {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return undefined;
  }
  return o.protocol === 'http:' || o.protocol === 'https:' ? o : undefined;
}
