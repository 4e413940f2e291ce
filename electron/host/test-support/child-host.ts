import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import WebSocket from 'ws';

export interface ChildHost {
  port: number;
  token: string;
  /** The temp folder; the core's data folder is its `data/`. */
  dataDir: string;
  /** Everything the host printed, stdout and stderr. */
  output: string[];
  /** Exit code or signal once the process ended, undefined while it runs. */
  exit(): string | undefined;
  exited: Promise<void>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Starts test-support/serve-child.ts (the real core and host server, no last-resort handler)
 * in its own Node process through tsx, in a fresh data folder with a one-page UI.
 */
export async function startChildHost(opts: { token?: string; limits?: Record<string, number>; dataFiles?: Record<string, string> } = {}): Promise<ChildHost> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-host-test-'));
  const coreDir = path.join(dataDir, 'data');
  fs.mkdirSync(coreDir, { mode: 0o700 });
  for (const [name, text] of Object.entries(opts.dataFiles ?? {})) fs.writeFileSync(path.join(coreDir, name), text, { mode: 0o600 });
  const staticDir = path.join(dataDir, 'ui');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>ui</title>\n');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'serve-child.ts'), JSON.stringify({ dataDir: coreDir, staticDir, token: opts.token, limits: opts.limits })], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: dataDir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let exitedWith: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedWith = signal ?? String(code);
      resolve();
    }),
  );
  readline.createInterface({ input: child.stderr! }).on('line', (l) => output.push(l));
  const ready = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`test host did not start within 20 s:\n${quote(output)}`)), 20_000);
    readline.createInterface({ input: child.stdout! }).on('line', (l) => {
      output.push(l);
      if (!l.startsWith('{"port"')) return;
      clearTimeout(timer);
      resolve(JSON.parse(l));
    });
    void exited.then(() => reject(new Error(`test host exited (${exitedWith}) before listening:\n${quote(output)}`)));
  }).catch(async (err: Error) => {
    // Nothing of a host that never listened may stay behind: its process, its folder.
    if (exitedWith === undefined) child.kill('SIGKILL');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  return {
    ...ready,
    dataDir,
    output,
    exit: () => exitedWith,
    exited,
    stop: async () => {
      if (exitedWith === undefined) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens an API WebSocket; rejects with the HTTP status when the upgrade is refused. */
export function openApi(port: number, token: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends one text frame and resolves with the first answer whose id is `id`. */
export function request(ws: WebSocket, frame: string, id: unknown, timeoutMs = 5_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no answer with id ${JSON.stringify(id)} within ${timeoutMs} ms to ${frame.slice(0, 200)}`)), timeoutMs);
    const onMsg = (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString()) as Record<string, unknown>;
      if (JSON.stringify(m.id) === JSON.stringify(id) && !('method' in m)) done(undefined, m);
    };
    const onClose = (code: number, reason: Buffer) => done(new Error(`the connection closed (${code} ${reason.toString()}) before an answer to ${frame.slice(0, 200)}`));
    const done = (err?: Error, m?: Record<string, unknown>) => {
      clearTimeout(timer);
      ws.off('message', onMsg);
      ws.off('close', onClose);
      if (err) reject(err);
      else resolve(m!);
    };
    ws.on('message', onMsg);
    ws.on('close', onClose);
    ws.send(frame);
  });
}

let pingId = 0;

/**
 * The host still serves: a new API connection answers rpc.discover. `within` bounds the wait
 * so a frozen host fails the test instead of hanging it (a liveness bound, not a speed test).
 */
export async function assertAnswersPing(host: { port: number; token: string; exit?: () => string | undefined; exited?: Promise<void>; output?: string[] }, within = 5_000): Promise<void> {
  const dead = () => host.exit?.();
  if (dead()) throw new Error(`the host process ended (${dead()}):\n${quote(host.output?.slice(-30) ?? [])}`);
  try {
    const ws = await openApi(host.port, host.token);
    const id = `ping-${++pingId}`;
    const answer = await request(ws, JSON.stringify({ jsonrpc: '2.0', id, method: 'rpc.discover', params: {} }), id, within);
    ws.close();
    if (!answer.result) throw new Error(`rpc.discover answered ${JSON.stringify(answer).slice(0, 300)}`);
  } catch (err) {
    // A refused connection usually means the process is ending: let its exit be seen.
    if (host.exited) await Promise.race([host.exited, new Promise((r) => setTimeout(r, 1_000))]);
    const why = dead() ? `the host process ended (${dead()}):\n${quote(host.output?.slice(-30) ?? [])}` : (err as Error).message;
    throw new Error(`the host no longer answers a ping: ${why}`);
  }
}

export interface RawAnswer {
  /** The status line, e.g. "HTTP/1.1 400 Bad Request", or "" when the host closed without one. */
  status: string;
  text: string;
}

/**
 * Writes `bytes` on a fresh TCP connection, exactly as given (no client normalises the
 * path), and collects what comes back until the host closes or `idleMs` passes. With
 * `reset`, the client resets the connection right after writing, as an impatient scanner does.
 */
export function rawExchange(port: number, bytes: string | Buffer, opts: { reset?: boolean; idleMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.write(bytes);
      if (opts.reset) sock.resetAndDestroy();
    });
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: text.split('\r\n')[0], text });
    };
    const timer = setTimeout(finish, opts.idleMs ?? 2_000);
    sock.on('data', (c) => {
      chunks.push(c);
      // One answer is enough: the request line tells what the host did.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) setImmediate(finish);
    });
    sock.on('error', finish);
    sock.on('close', finish);
  });
}

/** A WebSocket upgrade request for `target` (the path and query, sent as given). */
export function upgradeRequest(target: string, headers: Record<string, string> = {}): string {
  const lines = [
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The host's output inside an error message, marked so that its stack lines are not read as the test's. */
function quote(lines: string[]): string {
  return lines.map((l) => `  | ${l}`).join('\n');
}
