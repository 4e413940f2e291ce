/**
 * The paths a published port can take, each started on 127.0.0.1 and stopped by pid: the
 * app's forwarder (a child running the core's tunnel code) over the local provider or the
 * real sshd, and OpenSSH's own `ssh -R` to the same sshd.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { freePort } from '../../test-support/free-port';
import { startSshd, type TestSshd } from '../../test-support/sshd';
import { bundle } from './bundle';
import type { ForwarderConfig } from './forwarder-child';
import { endProcess, onCleanup, TsChild } from './procs';
import { benchTmp } from './tmp';

let sshd: Promise<TestSshd> | undefined;

/** One real sshd per bench (root only), stopped by the clean-up after the bench. */
export function sharedSshd(): Promise<TestSshd> {
  sshd ??= startSshd().then((s) => {
    onCleanup(async () => {
      sshd = undefined;
      await s.stop();
      fs.rmSync(s.dir, { recursive: true, force: true });
    });
    return s;
  });
  return sshd;
}

export interface RunningForward {
  /** The public port on 127.0.0.1. */
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** The app's forwarder in a child process, online and ready. */
export async function startAppForwarder(provider: 'local' | 'ssh', nodePort: number, relay?: TestSshd, type: 'tcp' | 'udp' = 'tcp'): Promise<RunningForward & { child: TsChild; problems(max?: number): string[] }> {
  const dataDir = benchTmp('forwarder');
  const cfg: ForwarderConfig = { dataDir, provider, nodePort, type };
  if (relay) cfg.ssh = { host: relay.host, port: relay.port, user: relay.user, keyFile: relay.clientKeyPath, fingerprint: relay.hostKeyFingerprint };
  const b = bundle(path.join(__dirname, 'forwarder-child.ts'));
  const child = new TsChild(b.file, [JSON.stringify(cfg)], { tsx: false, env: b.env });
  const removeDir = onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  try {
    const ready = await child.next<{ type: 'ready'; port: number }>('ready', 30_000);
    return {
      port: ready.port,
      pid: child.pid,
      child,
      problems: (max = 5) => problemLines(dataDir, max),
      stop: async () => {
        await child.stop();
        removeDir();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

/** The app's own warn/error log lines (and connections closed with an error), newest last. */
function problemLines(dataDir: string, max: number): string[] {
  try {
    const lines = fs.readFileSync(path.join(dataDir, 'logs', 'clab-publisher.jsonl'), 'utf8').split('\n').filter(Boolean);
    return lines
      .map((l) => JSON.parse(l) as { level: string; message: string; fields?: { error?: unknown } })
      .filter((e) => e.level === 'warn' || e.level === 'error' || (e.fields?.error !== undefined && e.fields.error !== null))
      .slice(-max)
      .map((e) => `${e.level}: ${e.message}`);
  } catch {
    return [];
  }
}

/** A bundled child of `entry` (argv[2]: JSON `cfg`) once it answered `ready` with its port. */
async function readyChild(entry: string, cfg: unknown): Promise<RunningForward> {
  const b = bundle(path.join(__dirname, entry));
  const child = new TsChild(b.file, [JSON.stringify(cfg)], { tsx: false, env: b.env });
  try {
    const ready = await child.next<{ type: 'ready'; port: number }>('ready', 30_000);
    return { port: ready.port, pid: child.pid, stop: () => child.stop() };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

/** A delay line (`delayMs` each way) in front of `targetPort`, in a child process: connect to `port`. */
export function startDelayLineChild(targetPort: number, delayMs: number): Promise<RunningForward> {
  return readyChild('delay-child.ts', { targetPort, delayMs });
}

/** A reference forwarder without the app: a bare Node relay, or a bare ssh2 forward. */
export function startBareForwarder(mode: 'relay' | 'ssh2', nodePort: number, relay?: TestSshd, opts: { relayNoDelay?: boolean } = {}): Promise<RunningForward> {
  return readyChild('bare-child.ts', { mode, nodePort, relayNoDelay: opts.relayNoDelay, ssh: relay && { host: relay.host, port: relay.port, user: relay.user, keyFile: relay.clientKeyPath } });
}

/** `ssh -R 0:127.0.0.1:<nodePort> -N` to the relay; the port sshd allocated, read from stderr. */
export async function startSshR(relay: TestSshd, nodePort: number, extraArgs: string[] = []): Promise<RunningForward> {
  const args = [
    '-F', '/dev/null', '-N', '-T',
    '-i', relay.clientKeyPath, '-p', String(relay.port),
    '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ExitOnForwardFailure=yes',
    '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes',
    ...extraArgs,
    '-R', `0:127.0.0.1:${nodePort}`,
    `${relay.user}@${relay.host}`,
  ];
  const proc = spawn('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const unregister = onCleanup(() => endProcess(proc));
  let stderr = '';
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ssh -R allocated no port within 15 s: ${stderr}`)), 15_000);
      proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr = (stderr + d).slice(-4000);
        const m = /Allocated port (\d+) for remote forward/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`ssh -R exited (${code}): ${stderr}`));
      });
    });
    return running(proc, port, unregister);
  } catch (err) {
    unregister();
    await endProcess(proc);
    throw err;
  }
}

/**
 * `socat` relaying a port of 127.0.0.1 to the node, as it is commonly run (a process forked
 * per connection, socat's default 8 KiB buffer). Throws with a hint when socat is missing.
 */
export async function startSocat(nodePort: number): Promise<RunningForward> {
  const port = await freePort();
  const proc = spawn('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `TCP:127.0.0.1:${nodePort}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  const unregister = onCleanup(() => endProcess(proc));
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
  const failed = new Promise<never>((_, reject) => {
    proc.once('error', (err) => reject(new Error(`cannot run socat (${err.message}): apt-get install socat (scripts/setup-test-env.sh installs it)`)));
    proc.once('exit', (code) => reject(new Error(`socat exited (${code}): ${stderr}`)));
  });
  failed.catch(() => undefined);
  // Listening once a connection is accepted (socat forks a child for it, which we close at once).
  for (let i = 0; ; i++) {
    const ok = await Promise.race([canConnect(port), failed]);
    if (ok) break;
    if (i === 100) {
      unregister();
      await endProcess(proc);
      throw new Error(`socat did not listen on 127.0.0.1:${port} within 5 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return running(proc, port, unregister);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** A spawned forwarder as a RunningForward: stopping it also drops its clean-up. */
function running(proc: ChildProcess, port: number, unregister: () => void): RunningForward {
  return {
    port,
    pid: proc.pid!,
    stop: async () => {
      unregister();
      await endProcess(proc);
    },
  };
}

/** The cipher `ssh` would negotiate with a stock sshd: its first preference (`ssh -G`). */
export function opensshCipher(extraArgs: string[] = []): string {
  try {
    const out = execFileSync('ssh', ['-F', '/dev/null', '-G', ...extraArgs, '127.0.0.1'], { encoding: 'utf8' });
    return /^ciphers (\S+?)(,|$)/m.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** ssh2's first preference (the app's relay connection does not change the defaults). */
export function ssh2Cipher(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const c = require('ssh2/lib/protocol/constants') as { DEFAULT_CIPHER?: string[] };
    return c.DEFAULT_CIPHER?.[0] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
