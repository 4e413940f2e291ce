/**
 * The proxy the environment names for a URL, the way curl and Go's `httpproxy` read it:
 * `HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http URLs (lower-case names first), and
 * no proxy for hosts `NO_PROXY` lists: `*`, a host (its subdomains too), `.domain`, an IP, a
 * CIDR range, each optionally with `:port`. Unlike Go, loopback hosts are proxied unless
 * NO_PROXY names them, as curl does.
 */
import net from 'node:net';

export type Env = Record<string, string | undefined>;

export function envValue(env: Env, name: string): string | undefined {
  return env[name.toLowerCase()]?.trim() || env[name]?.trim() || undefined;
}

export function proxyFor(url: URL, env: Env): string | undefined {
  const proxy = envValue(env, url.protocol === 'https:' ? 'HTTPS_PROXY' : url.protocol === 'http:' ? 'HTTP_PROXY' : '');
  if (!proxy) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return bypassed(host, port, envValue(env, 'NO_PROXY') ?? '') ? undefined : withScheme(proxy);
}

/** Go and curl take `host:port` without a scheme as an http proxy. */
function withScheme(proxy: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function bypassed(host: string, port: number, noProxy: string): boolean {
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (inCidr(host, entry)) return true;
      continue;
    }
    const m = /^(\[[^\]]+\]|[^:]+|[0-9a-f:]+)(?::(\d+))?$/.exec(entry);
    const name = (m?.[1] ?? entry).replace(/^\[|\]$/g, '');
    if (m?.[2] && Number(m[2]) !== port) continue;
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

function inCidr(host: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const kind = net.isIP(base);
  if (!kind || net.isIP(host) !== kind) return false;
  const list = new net.BlockList();
  try {
    list.addSubnet(base, Number(bitsText), kind === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
  return list.check(host, kind === 4 ? 'ipv4' : 'ipv6');
}
