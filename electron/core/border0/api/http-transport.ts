/**
 * How API calls leave this computer: through the proxy configured for border0 when there is
 * one, else through the proxy the environment names for the URL's scheme (`HTTPS_PROXY` for
 * https, `HTTP_PROXY` for http, minus `NO_PROXY`), as the border0 CLI and SDK do through Go's
 * default transport (docs/border0.md, "Endpoints and configuration"), else directly.
 * Proxies are asked with HTTP CONNECT, so the token stays inside the TLS session to the API;
 * an `https://` proxy is itself reached over TLS. undici does the proxying; one dispatcher is
 * kept per proxy and all are closed with the transport.
 */
import { Agent, fetch as undiciFetch, ProxyAgent, type Dispatcher } from 'undici';
import { proxyFor, type Env } from './proxy-env';

export interface ProxyRoute {
  /** The proxy from the border0 settings (already checked); wins over the environment. */
  configured?: string;
  env: Env;
}

export class HttpTransport {
  private readonly dispatchers = new Map<string, Dispatcher>();

  constructor(private readonly route: () => ProxyRoute) {}

  /** A `fetch` that picks the dispatcher for the URL and the route in force now. */
  readonly fetch: typeof fetch = (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const dispatcher = this.dispatcher(this.proxyFor(url) ?? '');
    return undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
  };

  /** How a call to `url` goes, for error messages: `proxy host:port`, or undefined when direct. Never with a password. */
  via(url: URL): string | undefined {
    const proxy = this.proxyFor(url);
    if (!proxy) return undefined;
    try {
      const u = new URL(proxy);
      return `proxy ${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
    } catch {
      return 'the proxy';
    }
  }

  private proxyFor(url: URL): string | undefined {
    const r = this.route();
    return r.configured ?? proxyFor(url, r.env);
  }

  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((d) => d.close().catch(() => {})));
  }

  /** '' is the direct route. A proxy whose setting went away keeps its (idle) connections until close(). */
  private dispatcher(proxy: string): Dispatcher {
    let d = this.dispatchers.get(proxy);
    if (!d) {
      d = proxy ? new ProxyAgent({ uri: proxy }) : new Agent();
      this.dispatchers.set(proxy, d);
    }
    return d;
  }
}
