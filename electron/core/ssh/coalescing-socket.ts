import net from 'node:net';

/**
 * A TCP socket for an SSH link whose writes within one tick leave as one writev. ssh2 writes
 * every packet on its own (a 64 KB chunk from a node is two 32 KB packets, each with an
 * adjust or two in between): corked until the tick ends, they cost one syscall and one TCP
 * segment train instead of one each. Nothing waits longer than the current tick.
 */
export function coalescingSocket(opts: net.NetConnectOpts): net.Socket {
  const sock = net.connect(opts);
  let corked = false;
  const uncork = () => {
    corked = false;
    sock.uncork();
  };
  const write = sock.write;
  sock.write = function (this: net.Socket, ...args: unknown[]): boolean {
    if (!corked) {
      corked = true;
      this.cork();
      process.nextTick(uncork);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as net.Socket['write'];
  return sock;
}
