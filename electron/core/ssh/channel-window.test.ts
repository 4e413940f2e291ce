import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import { Client, Server, utils, type ServerChannel, type Connection } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_WINDOW, widenWindow, WindowBudget, windowForRtt } from './channel-window';

const MB = 1024 * 1024;

/**
 * An in-process ssh2 server and client: the server opens forwarded-tcpip channels to the
 * client (as sshd does for `ssh -R`), the client accepts them through `accept`.
 */
async function linked(accept: (ch: Duplex) => Duplex): Promise<{ open(): Promise<{ server: ServerChannel; client: Duplex }>; close(): void }> {
  const server = new Server({ hostKeys: [utils.generateKeyPairSync('ed25519').private] });
  let conn: Connection | undefined;
  server.on('connection', (c) => {
    conn = c;
    c.on('authentication', (ctx) => ctx.accept());
    c.on('request', (acceptReq) => acceptReq?.());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const client = new Client();
  const channels: ((ch: Duplex) => void)[] = [];
  client.on('tcp connection', (_info, acceptCh) => channels.shift()?.(accept(acceptCh())));
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, username: 'u', password: 'p' });
  });
  await new Promise<void>((resolve, reject) => client.forwardIn('127.0.0.1', 4000, (err) => (err ? reject(err) : resolve())));
  return {
    open: () =>
      new Promise((resolve, reject) => {
        const got = new Promise<Duplex>((r) => channels.push(r));
        conn!.forwardOut('127.0.0.1', 4000, '127.0.0.1', 5000, (err, ch) => (err ? reject(err) : void got.then((c) => resolve({ server: ch, client: c }))));
      }),
    close: () => {
      client.end();
      server.close();
    },
  };
}

/** Resolves once `ch` has sent all of `data` (the window let it), i.e. its write callback ran. */
const written = (ch: ServerChannel, data: Buffer) => new Promise<void>((r) => ch.write(data, () => r()));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('widenWindow', () => {
  let done: (() => void) | undefined;
  afterEach(() => done?.());

  it('lets the far side send 16 MB before anyone reads (ssh2 alone: 2 MB), then keeps it open as the data is read; every byte arrives in order', async () => {
    const budget = new WindowBudget(64 * MB);
    const link = await linked((ch) => widenWindow(ch, 16 * MB, budget));
    done = link.close;
    const { server, client } = await link.open();
    // Nobody reads yet: the write completes only if the window holds all 12 MB.
    const first = randomBytes(12 * MB);
    await written(server, first);
    // Packets arrive in order: once a channel opened after the data is confirmed, the client has it all.
    await link.open();
    expect(client.readableLength).toBe(12 * MB);
    // Reading returns the credit: 40 MB more pass, more than any window, all intact.
    const chunks: Buffer[] = [];
    client.on('data', (b: Buffer) => chunks.push(b));
    const rest = randomBytes(40 * MB);
    await written(server, rest);
    server.end();
    await new Promise((r) => client.once('end', r));
    expect(sha(Buffer.concat(chunks))).toBe(sha(Buffer.concat([first, rest])));
  }, 60_000);

  it('takes the extra from the link budget and gives it back when the channel closes', async () => {
    const budget = new WindowBudget(4 * MB);
    const link = await linked((ch) => widenWindow(ch, 16 * MB, budget));
    done = link.close;
    const { server, client } = await link.open();
    expect(budget.available).toBe(0);
    // 2 MB of ssh2's own plus the 4 MB the budget had: 6 MB pass unread.
    await written(server, randomBytes(6 * MB));
    // A second channel finds the budget empty: ssh2's 2 MB, nothing taken. (Opened after the
    // data, it also shows the client has all 6 MB.)
    const other = await link.open();
    expect(client.readableLength).toBe(6 * MB);
    expect(budget.available).toBe(0);
    // The far side closes while 6 MB are unread: whoever holds the channel destroys it.
    server.close();
    client.destroy();
    expect(budget.available).toBe(4 * MB);
    // A channel that ends by itself gives it back too.
    const third = await link.open();
    expect(budget.available).toBe(0);
    third.client.resume();
    third.server.end();
    await new Promise((r) => third.client.once('end', r));
    expect(budget.available).toBe(4 * MB);
    other.server.close();
  }, 60_000);

  it('sizes the window by the round trip: ssh2\'s 2 MB near (or unknown), up to 16 MB far away', () => {
    expect(windowForRtt(undefined)).toBe(2 * MB);
    expect(windowForRtt(0.2)).toBe(2 * MB);
    expect(windowForRtt(10)).toBeCloseTo(3.2 * MB, -3);
    expect(windowForRtt(50)).toBe(MAX_WINDOW);
    expect(windowForRtt(300)).toBe(MAX_WINDOW);
  });

  it("leaves a stream without ssh2's channel internals as it is", () => {
    const budget = new WindowBudget(4 * MB);
    const s = new PassThrough();
    expect(widenWindow(s, 16 * MB, budget)).toBe(s);
    expect(budget.available).toBe(4 * MB);
  });
});
