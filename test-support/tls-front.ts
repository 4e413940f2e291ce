import net from 'node:net';
import tls from 'node:tls';
import { selfSignedCert, type SelfSignedCert } from './self-signed-cert';

/**
 * TLS on 127.0.0.1 in front of a plain TCP port: makes tinyproxy an `https://` proxy (the
 * client speaks TLS to the proxy, then CONNECT inside it), with a fresh self-signed certificate.
 */
export interface TlsFront {
  port: number;
  cert: SelfSignedCert;
  close(): Promise<void>;
}

export async function startTlsFront(targetPort: number): Promise<TlsFront> {
  const cert = await selfSignedCert('clab-publisher test proxy');
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: cert.key, cert: cert.cert }, (client) => {
    const up = net.connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (s === up ? client : up).destroy());
    }
    client.pipe(up).pipe(client);
  });
  // Handshakes a client gives up on are its business, not the test's.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cert,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => {
          cert.remove();
          resolve();
        });
      }),
  };
}
