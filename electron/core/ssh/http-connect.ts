/**
 * A TCP tunnel through an HTTP proxy (`CONNECT host:port`), for networks where the tunnel
 * server's port 22 is only reachable that way. An `https://` proxy is spoken to over TLS
 * (its certificate checked like any server's), so its password never crosses the network in
 * clear. The password goes into the request header and nowhere else: errors and logs name
 * the proxy by host:port only.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface ProxyInfo {
  host: string;
  port: number;
  /** `https://` proxies are reached over TLS. */
  tls: boolean;
  /** `host:port`, safe to show and log. */
  display: string;
  auth?: { user: string; password: string };
}

export class ProxyError extends Error {
  constructor(
    readonly proxy: string,
    message: string,
    /** The proxy's HTTP status, when it answered. */
    readonly status?: number,
    /** Retrying cannot help (an untrusted certificate): someone has to fix the setting. */
    readonly permanent = status === 401 || status === 407,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

const MAX_HEADER = 16 * 1024;

/** `http(s)://[user:pass@]host:port`; anything else is a configuration error. */
export function parseProxyUrl(raw: string): ProxyInfo {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ProxyError(raw.replace(/\/\/[^@/]*@/, '//***@'), 'the proxy must be written http://[user:password@]host:port (or https://)');
  }
  const secure = u.protocol === 'https:';
  const port = Number(u.port || (secure ? 443 : 80));
  const display = `${u.hostname}:${port}`;
  if (u.protocol !== 'http:' && !secure) throw new ProxyError(display, `proxy ${display}: only http:// and https:// proxies (HTTP CONNECT) are supported, not ${u.protocol}//`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const auth = u.username ? { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : undefined;
  return { host, port, tls: secure, display, auth };
}

/**
 * Resolves with a socket that is already tunnelled to `target`, paused, with whatever the far
 * side sent after the proxy's answer (often the SSH banner) pushed back into it.
 */
export function connectViaProxy(
  proxyUrl: string,
  target: { host: string; port: number },
  /** `tls`: options for an https proxy's TLS (e.g. a private CA); its certificate is always checked. */
  opts: { timeoutMs?: number; signal?: AbortSignal; tls?: Pick<tls.ConnectionOptions, 'ca'> } = {},
): Promise<net.Socket> {
  const proxy = parseProxyUrl(proxyUrl);
  const to = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const servername = net.isIP(proxy.host) ? undefined : proxy.host;
    const sock: net.Socket = proxy.tls
      ? tls.connect({ host: proxy.host, port: proxy.port, servername, ...opts.tls })
      : net.connect({ host: proxy.host, port: proxy.port });
    let header = Buffer.alloc(0);
    let connected = false;
    const fail = (message: string, status?: number, permanent?: boolean) => {
      cleanup();
      sock.destroy();
      reject(new ProxyError(proxy.display, message, status, permanent));
    };
    const onAbort = () => fail(`connection through proxy ${proxy.display} cancelled`);
    const timer = setTimeout(
      () => fail(connected ? `proxy ${proxy.display} did not answer CONNECT to ${to} within ${timeoutMs / 1000} s` : `cannot reach proxy ${proxy.display}: no answer within ${timeoutMs / 1000} s`),
      timeoutMs,
    );
    const cleanup = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      sock.removeListener('data', onData);
      sock.removeListener('error', onError);
      sock.removeListener('close', onClose);
    };
    const onError = (err: NodeJS.ErrnoException) => {
      // A certificate the proxy should not have: say so plainly, it is not a network hiccup.
      if (proxy.tls && !connected && /CERT|SELF_SIGNED|ALTNAME|UNABLE_TO/i.test(String(err.code ?? ''))) {
        return fail(`proxy ${proxy.display}: its TLS certificate is not trusted (${err.code}): ${err.message}`, undefined, true);
      }
      fail(connected ? `proxy ${proxy.display} failed during CONNECT to ${to}: ${err.code ?? err.message}` : `cannot reach proxy ${proxy.display}: ${err.code ?? err.message}`);
    };
    const onClose = () => fail(`proxy ${proxy.display} closed the connection before answering CONNECT to ${to}`);
    const onData = (chunk: Buffer) => {
      header = Buffer.concat([header, chunk]);
      const end = header.indexOf('\r\n\r\n');
      if (end < 0) {
        if (header.length > MAX_HEADER) fail(`proxy ${proxy.display} sent an oversized answer to CONNECT ${to}`);
        return;
      }
      const statusLine = header.subarray(0, header.indexOf('\r\n')).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})\s*(.*)$/.exec(statusLine);
      if (!m) return fail(`proxy ${proxy.display} answered CONNECT to ${to} with something that is not HTTP: ${JSON.stringify(statusLine.slice(0, 80))}`);
      if (m[1] !== '200') {
        // tinyproxy answers a wrong password with 401, not the 407 RFC 9110 asks for.
        const authProblem = m[1] === '407' || m[1] === '401';
        const hint = !authProblem ? '' : proxy.auth ? ' (check the user and password in the proxy URL)' : ' (the proxy wants a user and password: http://user:password@host:port)';
        return fail(`proxy ${proxy.display} refused CONNECT to ${to}: ${m[1]} ${m[2]}`.trimEnd() + hint, Number(m[1]));
      }
      cleanup();
      sock.pause();
      const rest = header.subarray(end + 4);
      if (rest.length) sock.unshift(rest);
      resolve(sock);
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    sock.on('data', onData);
    sock.on('error', onError);
    sock.on('close', onClose);
    sock.once(proxy.tls ? 'secureConnect' : 'connect', () => {
      connected = true;
      const lines = [`CONNECT ${to} HTTP/1.1`, `Host: ${to}`];
      if (proxy.auth) lines.push(`Proxy-Authorization: Basic ${Buffer.from(`${proxy.auth.user}:${proxy.auth.password}`).toString('base64')}`);
      sock.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  });
}
