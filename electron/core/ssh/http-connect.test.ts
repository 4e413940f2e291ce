/**
 * HTTP CONNECT against a real tinyproxy (with and without Basic auth) and, for the byte-level
 * corner cases tinyproxy never produces, a scripted proxy on a loopback socket.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoServer } from '../../../test-support/echo-server';
import { freePort, startTinyproxy, type Tinyproxy } from '../border0/dataplane/dataplane-test-helpers';
import { startTlsFront, type TlsFront } from '../../../test-support/tls-front';
import { connectViaProxy, parseProxyUrl, ProxyError } from './http-connect';

let echo: Awaited<ReturnType<typeof startEchoServer>>;
let open: Tinyproxy;
let locked: Tinyproxy;
/** TLS in front of `locked`: an https:// proxy that wants a password. */
let front: TlsFront;
const auth = { user: 'lab', password: 's3cret-Pw_9' };
const lockedUrl = (password: string) => `http://${auth.user}:${encodeURIComponent(password)}@127.0.0.1:${locked.port}`;

beforeAll(async () => {
  echo = await startEchoServer();
  // One after the other, so afterAll stops the first even when the second cannot start.
  open = await startTinyproxy({ connectPorts: [echo.port] });
  locked = await startTinyproxy({ connectPorts: [echo.port], basicAuth: auth });
  front = await startTlsFront(locked.port);
});
afterAll(async () => {
  await Promise.all([open?.stop(), locked?.stop(), echo?.close(), front?.close()]);
});

/** Sends `payload` over an already-tunnelled socket and collects the echo. */
function echoOver(sock: net.Socket, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      got += d.length;
      if (got >= payload.length) {
        sock.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    sock.on('error', reject);
    sock.resume();
    sock.write(payload);
  });
}

describe('connectViaProxy through tinyproxy', () => {
  it('tunnels bytes exactly, without and with Basic auth', async () => {
    const payload = Buffer.alloc(256 * 1024, 'clab');
    const plain = await connectViaProxy(`http://127.0.0.1:${open.port}`, { host: '127.0.0.1', port: echo.port });
    expect((await echoOver(plain, payload)).equals(payload)).toBe(true);
    const withAuth = await connectViaProxy(lockedUrl(auth.password), { host: '127.0.0.1', port: echo.port });
    expect((await echoOver(withAuth, payload)).equals(payload)).toBe(true);
  });

  it('names the proxy and its answer when it refuses, and never shows the password', async () => {
    const wrong = connectViaProxy(lockedUrl('not-it-9x'), { host: '127.0.0.1', port: echo.port });
    await expect(wrong).rejects.toThrow(`proxy 127.0.0.1:${locked.port} refused CONNECT to 127.0.0.1:${echo.port}: 401 Unauthorized (check the user and password in the proxy URL)`);
    await expect(wrong).rejects.toMatchObject({ status: 401 });
    await wrong.catch((err: Error) => expect(JSON.stringify({ m: err.message, s: err.stack })).not.toContain('not-it-9x'));

    await expect(connectViaProxy(`http://127.0.0.1:${locked.port}`, { host: '127.0.0.1', port: echo.port })).rejects.toThrow(
      /: 407 Proxy Authentication Required \(the proxy wants a user and password/,
    );
    const other = await freePort();
    await expect(connectViaProxy(`http://127.0.0.1:${open.port}`, { host: '127.0.0.1', port: other })).rejects.toThrow(
      `proxy 127.0.0.1:${open.port} refused CONNECT to 127.0.0.1:${other}: 403 Access violation`,
    );
  });

  it('speaks TLS to an https:// proxy, and sends the password only inside it', async () => {
    const payload = Buffer.alloc(64 * 1024, 'tls!');
    const url = `https://${auth.user}:${auth.password}@127.0.0.1:${front.port}`;
    const sock = await connectViaProxy(url, { host: '127.0.0.1', port: echo.port }, { tls: { ca: [front.cert.cert] } });
    expect((await echoOver(sock, payload)).equals(payload)).toBe(true);
    // A proxy whose certificate is not trusted never gets the CONNECT (nor the password): a clear, permanent refusal.
    const untrusted = await connectViaProxy(url, { host: '127.0.0.1', port: echo.port }).catch((e: ProxyError) => e);
    expect(untrusted).toBeInstanceOf(ProxyError);
    expect((untrusted as ProxyError).message).toMatch(new RegExp(`^proxy 127\\.0\\.0\\.1:${front.port}: its TLS certificate is not trusted \\(DEPTH_ZERO_SELF_SIGNED_CERT\\)`));
    expect((untrusted as ProxyError).permanent).toBe(true);
    // Plain http to the TLS port gets no valid answer: not mistaken for a proxy.
    await expect(connectViaProxy(`http://127.0.0.1:${front.port}`, { host: '127.0.0.1', port: echo.port }, { timeoutMs: 2000 })).rejects.toBeInstanceOf(ProxyError);
  });

  it('says when the proxy is not there', async () => {
    const port = await freePort();
    const err = await connectViaProxy(`http://u:secret@127.0.0.1:${port}`, { host: 'tunnel.border0.com', port: 22 }).catch((e: ProxyError) => e);
    expect(err).toBeInstanceOf(ProxyError);
    expect((err as ProxyError).message).toBe(`cannot reach proxy 127.0.0.1:${port}: ECONNREFUSED`);
  });
});

/** A one-shot proxy that records the request and answers with `reply` in a single write. */
async function scriptedProxy(reply: string | null): Promise<{ url: string; request: Promise<string>; close(): Promise<void> }> {
  let got: (s: string) => void = () => {};
  const request = new Promise<string>((r) => (got = r));
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    let text = '';
    s.on('data', (d) => {
      text += d.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      got(text);
      if (reply === null) s.destroy();
      else s.write(reply);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  return {
    url: `http://a%40b:p%3Ass@127.0.0.1:${port}`,
    request,
    close: () => new Promise((r) => {
      sockets.forEach((s) => s.destroy());
      srv.close(() => r());
    }),
  };
}

describe('connectViaProxy byte handling', () => {
  it('sends CONNECT with Host and Basic auth, and keeps what arrived after the answer', async () => {
    const proxy = await scriptedProxy('HTTP/1.1 200 Connection established\r\nVia: test\r\n\r\nSSH-2.0-OpenSSH_test\r\n');
    try {
      const sock = await connectViaProxy(proxy.url, { host: 'tunnel.example', port: 22 });
      expect(await proxy.request).toBe(`CONNECT tunnel.example:22 HTTP/1.1\r\nHost: tunnel.example:22\r\nProxy-Authorization: Basic ${Buffer.from('a@b:p:ss').toString('base64')}\r\n\r\n`);
      expect(sock.isPaused()).toBe(true); // ssh2 resumes it once it listens
      const first = await new Promise<string>((r) => sock.once('data', (d) => r(d.toString())).resume());
      expect(first).toBe('SSH-2.0-OpenSSH_test\r\n');
      sock.destroy();
    } finally {
      await proxy.close();
    }
  });

  it('refuses an answer that is not HTTP, and a proxy that hangs up', async () => {
    const weird = await scriptedProxy('SSH-2.0-direct\r\n\r\n');
    const mute = await scriptedProxy(null);
    try {
      await expect(connectViaProxy(weird.url, { host: 'h', port: 22 })).rejects.toThrow(/answered CONNECT to h:22 with something that is not HTTP: "SSH-2.0-direct"/);
      await expect(connectViaProxy(mute.url, { host: 'h', port: 22 })).rejects.toThrow(/closed the connection before answering CONNECT to h:22/);
    } finally {
      await Promise.all([weird.close(), mute.close()]);
    }
  });

  it('gives up when cancelled', async () => {
    const slow = await scriptedProxy(null);
    const ac = new AbortController();
    const p = connectViaProxy(slow.url, { host: 'h', port: 22 }, { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toThrow(/cancelled/);
    await slow.close();
  });
});

describe('parseProxyUrl', () => {
  it('reads host, port and decoded credentials', () => {
    expect(parseProxyUrl('http://u%40x:p%3A1@proxy.lab:3128')).toEqual({ host: 'proxy.lab', port: 3128, tls: false, display: 'proxy.lab:3128', auth: { user: 'u@x', password: 'p:1' } });
    expect(parseProxyUrl('http://[::1]:8080')).toEqual({ host: '::1', port: 8080, tls: false, display: '[::1]:8080', auth: undefined });
    expect(parseProxyUrl('http://proxy').port).toBe(80);
    expect(parseProxyUrl('https://proxy')).toMatchObject({ port: 443, tls: true });
  });

  it('refuses other schemes and junk without echoing a password', () => {
    expect(() => parseProxyUrl('socks5://proxy:1080')).toThrow(/only http:\/\/ and https:\/\/ proxies/);
    const err = (() => {
      try {
        parseProxyUrl('http//user:hunter2@proxy');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/must be written http:\/\//);
    expect(JSON.stringify(err)).not.toContain('hunter2');
  });
});
