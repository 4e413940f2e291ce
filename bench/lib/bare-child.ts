/**
 * Reference forwarders without the app around them, in a child process like the app's: a
 * bare Node TCP relay, or a bare ssh2 remote forward, with no-delay on every TCP socket it
 * opens (and on the ssh2 relay link unless relayNoDelay is false), half-open like the app's.
 * They show what Node / ssh2 alone cost.
 * argv[2]: JSON {mode: 'relay'|'ssh2', nodePort, ssh?: {host, port, user, keyFile}}.
 */
import fs from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { reply, type Message } from './procs';

interface BareConfig {
  mode: 'relay' | 'ssh2';
  /** ssh2 only: no-delay on the relay connection too (default on). */
  relayNoDelay?: boolean;
  nodePort: number;
  ssh?: { host: string; port: number; user: string; keyFile: string };
}

function pipeToNode(sock: Duplex, nodePort: number): void {
  const up = net.connect({ host: '127.0.0.1', port: nodePort, noDelay: true, allowHalfOpen: true });
  sock.pipe(up).pipe(sock);
  up.on('error', () => sock.destroy());
  sock.on('error', () => up.destroy());
  sock.on('close', () => up.destroy());
  up.on('close', () => sock.destroy());
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]) as BareConfig;
  process.on('disconnect', () => process.exit(0));
  let port: number;
  let close: () => void;
  if (cfg.mode === 'relay') {
    // Half-open like the app's listener: a client that finished sending still gets the answer.
    const srv = net.createServer({ noDelay: true, allowHalfOpen: true }, (s) => pipeToNode(s, cfg.nodePort));
    port = await new Promise<number>((resolve) => srv.listen(0, '127.0.0.1', () => resolve((srv.address() as net.AddressInfo).port)));
    close = () => srv.close();
  } else {
    const r = cfg.ssh!;
    const client = new Client();
    client.on('tcp connection', (_info, accept) => pipeToNode(accept(), cfg.nodePort));
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', reject);
      client.connect({ host: r.host, port: r.port, username: r.user, privateKey: fs.readFileSync(r.keyFile) });
    });
    client.setNoDelay(cfg.relayNoDelay !== false);
    port = await new Promise<number>((resolve, reject) => client.forwardIn('', 0, (err, p) => (err ? reject(err) : resolve(p))));
    close = () => client.end();
  }
  reply({ type: 'ready', port });
  process.on('message', (m: Message) => {
    if (m.type !== 'stop') return;
    close();
    setTimeout(() => process.exit(0), 50);
  });
}

main().catch((err: Error) => {
  reply({ type: 'error', message: err.message });
  setTimeout(() => process.exit(1), 100);
});
