import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { AppError } from '../../../shared/rpc-errors';
import { execStdout } from '../docker/docker-client';
import type { ShellChannel } from './shell-channel';

export interface EngineShellOptions {
  /** The lab host's Docker client: this computer's socket, or the remote host's Docker over SSH. */
  docker: Dockerode;
  containerId: string;
  where: string;
  /** Runs this instead of the first shell found. */
  command?: string[];
  cols: number;
  rows: number;
  /** Told when a closed session's processes could not be hung up (they may still run). */
  onLeftBehind?: (message: string) => void;
}

/** Asked once per session: the first of these the container has. */
const PROBE = ['/bin/sh', '-c', 'command -v bash || command -v ash || command -v sh'];

/**
 * A shell in the node's container through the container engine (`docker exec -it`): for
 * nodes without sshd, and for remote lab hosts the same way through their Docker over SSH.
 * The exec gets a TTY of the viewer's size and TERM=xterm-256color; resizes go to the exec.
 * Docker has no way to end an exec (moby/moby#35703), and closing the attached stream leaves
 * its process running: the exec carries a marker in its environment, inherited by everything
 * started from it, and ending the session runs a second exec that hangs those processes up
 * (SIGHUP, then SIGKILL for what is left a second later). See docs/terminals.md.
 */
export async function openEngineShell(o: EngineShellOptions): Promise<ShellChannel> {
  const container = o.docker.getContainer(o.containerId);
  let cmd = o.command;
  try {
    cmd ??= await firstShell(o.docker, o.containerId);
    const marker = `${MARKER}=${randomUUID()}`;
    const exec = await container.exec({
      Cmd: cmd,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ['TERM=xterm-256color', marker],
      ConsoleSize: [o.rows, o.cols],
    } as Dockerode.ExecCreateOptions);
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true } as Dockerode.ExecStartOptions)) as Duplex;
    const shell = new EngineShell(exec, stream, o.where, cmd, () => hangUp(o.docker, o.containerId, marker), o.onLeftBehind);
    // Docker before API 1.42 ignores ConsoleSize: until this resize lands the TTY is 0x0, and
    // what the viewer types first would run at that size. The daemon answers once the exec
    // runs; a failure here (it exited already) is the session's to report, not the open's.
    await withTimeout(exec.resize({ h: o.rows, w: o.cols }).catch(() => undefined), 5000);
    return shell;
  } catch (err) {
    throw explain(err, o.where);
  }
}

async function firstShell(docker: Dockerode, containerId: string): Promise<string[]> {
  let out = '';
  try {
    out = await execStdout(docker, containerId, PROBE, { timeoutMs: 5000 });
  } catch (err) {
    // Not running, gone, Docker unreachable: the real exec below says it better.
    if ((err as { statusCode?: number }).statusCode) throw err;
  }
  // A path, or a bare name where the shell's applets are built in (busybox prints `ash`).
  const found = out.split('\n').map((l) => l.trim()).find((l) => /^[\w./+-]+$/.test(l));
  // No /bin/sh at all (some network OS images): try bash by name, the engine's error tells if it is missing.
  return [found ?? 'bash'];
}

const MARKER = 'CLAB_PUBLISHER_TERMINAL';

/** Every process of the container whose environment has the marker: HUP, then KILL a second later. */
const HANG_UP = [
  'm="$1"; pids=""',
  'for d in /proc/[0-9]*; do',
  '  [ -r "$d/environ" ] || continue',
  '  if tr "\\000" "\\n" < "$d/environ" 2>/dev/null | grep -qxF "$m"; then pids="$pids ${d#/proc/}"; fi',
  'done',
  '[ -n "$pids" ] || exit 0',
  'kill -HUP $pids 2>/dev/null; sleep 1; kill -KILL $pids 2>/dev/null; exit 0',
].join('\n');

async function hangUp(docker: Dockerode, containerId: string, marker: string): Promise<string | undefined> {
  try {
    await execStdout(docker, containerId, ['/bin/sh', '-c', HANG_UP, 'hangup', marker], { timeoutMs: 10_000 });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function explain(err: unknown, where: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as { statusCode?: number; message?: string; json?: { message?: string } };
  const detail = e.json?.message ?? e.message ?? String(err);
  if (e.statusCode === 404) return new AppError('not_found', `the container of ${where} is gone: ${detail}`, 'The lab may have been destroyed or redeployed; refresh and try again.');
  if (e.statusCode === 409) return new AppError('unavailable', `${where} is not running: ${detail}`, 'Start the node (or wait for it) and try again.');
  return new AppError('unavailable', `cannot start a shell in ${where} through the container engine: ${detail}`, 'Check that the lab host\'s Docker is reachable (its status in the top bar).');
}

class EngineShell implements ShellChannel {
  gone?: Promise<void>;
  private wanted?: { cols: number; rows: number };
  private resizing = false;
  private ended = false;
  private endListener?: (reason: string) => void;

  constructor(
    private readonly exec: Dockerode.Exec,
    private readonly stream: Duplex,
    private readonly where: string,
    private readonly cmd: string[],
    private readonly hangUp: () => Promise<string | undefined>,
    private readonly onLeftBehind?: (message: string) => void,
  ) {
    const done = () => void this.finished();
    stream.once('end', done);
    stream.once('close', done);
    stream.on('error', (err: Error) => this.end(`the engine connection to ${where} failed: ${err.message}`));
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.stream.on('data', listener);
  }

  onEnd(listener: (reason: string) => void): void {
    this.endListener = listener;
  }

  write(data: Buffer): void {
    if (!this.ended && this.stream.writable) this.stream.write(data);
  }

  /**
   * One resize request at a time, the latest size last: two in flight may be applied in either
   * order, and the older one winning would leave the shell with a size the viewer no longer has.
   */
  resize(cols: number, rows: number): void {
    if (this.ended) return;
    this.wanted = { cols, rows };
    if (this.resizing) return;
    this.resizing = true;
    void (async () => {
      while (this.wanted && !this.ended) {
        const { cols: w, rows: h } = this.wanted;
        this.wanted = undefined;
        // Racing the shell's exit is harmless: Docker answers 404/409, the session ends anyway.
        await this.exec.resize({ h, w }).catch(() => undefined);
      }
      this.resizing = false;
    })();
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.stream.destroy();
    this.gone = this.hangUp().then((problem) => {
      if (problem) this.onLeftBehind?.(`the processes of the closed terminal in ${this.where} may still run: hanging them up failed (${problem})`);
    });
  }

  /** The stream ended: ask the engine how the process ended (bounded), then say so. */
  private async finished(): Promise<void> {
    if (this.ended) return;
    let code: number | null | undefined;
    try {
      const info = await withTimeout(this.exec.inspect(), 2000);
      code = info?.ExitCode;
    } catch {
      code = undefined;
    }
    const name = this.cmd.join(' ');
    if (code === 126 || code === 127) return this.end(`cannot run ${name} in ${this.where} (exit code ${code}: not found or not executable)`);
    this.end(`the shell in ${this.where} exited${typeof code === 'number' ? ` with code ${code}` : ''}`);
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.stream.destroy();
    this.endListener?.(reason);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);
}
