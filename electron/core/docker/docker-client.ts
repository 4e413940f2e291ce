import { Duplex, PassThrough } from 'node:stream';
import Dockerode from 'dockerode';

const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * Builds a Docker API client for `host` (`unix:///path`, `tcp://h:port`, or a bare `h:port`),
 * else `DOCKER_HOST`, else the default socket. The options are spelled out in full because
 * docker-modem merges its own reading of DOCKER_HOST under ours: a `tcp://` DOCKER_HOST
 * would otherwise win over an explicit socket path.
 */
export function createDockerClient(host?: string, env: NodeJS.ProcessEnv = process.env): Dockerode {
  return new Dockerode(dockerOptions(host ?? env.DOCKER_HOST, env));
}

export function dockerOptions(host: string | undefined, env: NodeJS.ProcessEnv = process.env): Dockerode.DockerOptions {
  const h = host?.trim();
  if (!h) return { socketPath: DEFAULT_SOCKET, host: undefined, port: undefined, protocol: undefined };
  if (h.startsWith('unix://')) {
    return { socketPath: h.slice('unix://'.length) || DEFAULT_SOCKET, host: undefined, port: undefined, protocol: undefined };
  }
  if (h.startsWith('/')) return { socketPath: h, host: undefined, port: undefined, protocol: undefined };
  const url = new URL(h.includes('://') ? h : `tcp://${h}`);
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`unsupported Docker host ${h}: use unix:///path/to/docker.sock or tcp://host:port`);
  }
  // Docker's own convention: 2376 (or DOCKER_TLS_VERIFY) means TLS, 2375 plain HTTP.
  const tls = url.protocol === 'https:' || env.DOCKER_TLS_VERIFY === '1' || url.port === '2376';
  return {
    socketPath: undefined,
    host: url.hostname,
    port: url.port || (tls ? 2376 : 2375),
    protocol: tls ? 'https' : 'http',
  };
}

/** Where a client talks to, in the form users write in DOCKER_HOST, for messages. */
export function describeDockerEndpoint(docker: Dockerode): string {
  const m = docker.modem as { socketPath?: unknown; host?: string; port?: string | number; protocol?: string };
  if (m.host) return `${m.protocol === 'https' ? 'https' : 'tcp'}://${m.host}${m.port ? `:${m.port}` : ''}`;
  return `unix://${typeof m.socketPath === 'string' ? m.socketPath : DEFAULT_SOCKET}`;
}

export interface DockerProblem {
  error: string;
  hint: string;
}

/**
 * Turns a failed Docker call into what happened and what the user can do about it; `lost`
 * when an established connection broke rather than a new one failing.
 */
export function explainDockerError(err: unknown, endpoint: string, lost = false): DockerProblem {
  const e = err as { code?: string; message?: string; statusCode?: number };
  const detail = e?.message ?? String(err);
  const error = `${lost ? 'lost the connection to' : 'cannot reach'} Docker at ${endpoint}: ${detail}`;
  const unix = endpoint.startsWith('unix://');
  switch (e?.code) {
    case 'ENOENT':
      return { error, hint: 'Docker does not seem to be running here: start it (`sudo systemctl start docker`), or set DOCKER_HOST to where it listens.' };
    case 'ECONNREFUSED':
      return unix
        ? { error, hint: 'The Docker socket exists but nothing answers: start or restart Docker (`sudo systemctl restart docker`).' }
        : { error, hint: 'Nothing answers at that address: check DOCKER_HOST and that the Docker daemon listens there.' };
    case 'EACCES':
    case 'EPERM':
      return { error, hint: 'No permission on the Docker socket: add your user to the docker group (`sudo usermod -aG docker $USER`), then log out and back in.' };
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return { error, hint: 'The Docker host cannot be reached: check DOCKER_HOST and the network path to it.' };
  }
  return { error, hint: 'Check that Docker is running (`sudo systemctl start docker`) and that DOCKER_HOST points to it.' };
}

export interface ExecLimits {
  /** Wall time for the whole exec; 5 s by default. */
  timeoutMs?: number;
  /** Bytes of output kept; past it the exec's stream is closed. 1 MiB by default. */
  maxBytes?: number;
  /** Ends the exec early (the caller lost interest: the node stopped, the core shuts down). */
  signal?: AbortSignal;
}

/** An exec whose output went past its cap: what the container printed is not read further. */
export class ExecOutputTooLarge extends Error {
  override readonly name = 'ExecOutputTooLarge';
  constructor(readonly maxBytes: number) {
    super(`the output went past ${maxBytes} bytes; stopped reading it`);
  }
}

/**
 * Runs `cmd` in a container and returns its stdout (demuxed from stderr). Bounded in time
 * and in bytes: a node is someone else's machine, and one whose `cat` prints forever must
 * not fill the core's memory (closing the stream ends the exec: its output pipe breaks). An
 * image without the binary is not an exception here: Docker answers with exit code 126 and
 * its error text as output, so callers judge the output, not the promise.
 */
export async function execStdout(docker: Dockerode, containerId: string, cmd: string[], limits: ExecLimits = {}): Promise<string> {
  const { timeoutMs = 5000, maxBytes = 1024 * 1024, signal } = limits;
  signal?.throwIfAborted();
  // One deadline for the whole exec: creating and starting it are requests of their own (over
  // SSH for a lab host) and a daemon that never answers them must not hold the caller either.
  const end = new AbortController();
  const timer = setTimeout(() => end.abort(new Error(`exec ${cmd[0]} timed out after ${timeoutMs} ms`)), timeoutMs);
  const onAbort = () => end.abort(signal?.reason instanceof Error ? signal.reason : new Error('exec aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const exec = await abortable(docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true }), end.signal);
    const starting = exec.start({ hijack: true, stdin: false }) as Promise<Duplex>;
    const stream = await abortable(starting, end.signal).catch((err: unknown) => {
      // Given up while starting: the stream that may still come is closed when it does.
      void starting.then((late) => late.destroy(), () => undefined);
      throw err;
    });
    return await readBounded(docker, stream, maxBytes, end.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** stdout of an exec's stream, until it ends, `maxBytes` pass, or `ended` aborts (then it is closed). */
function readBounded(docker: Dockerode, stream: Duplex, maxBytes: number, ended: AbortSignal): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  let bytes = 0;
  return new Promise<string>((resolve, reject) => {
    const stop = (err: Error) => {
      ended.removeEventListener('abort', onAbort);
      out.removeAllListeners('data');
      stream.destroy();
      reject(err);
    };
    const onAbort = () => stop(ended.reason as Error);
    if (ended.aborted) return onAbort();
    ended.addEventListener('abort', onAbort, { once: true });
    out.on('data', (b: Buffer) => {
      bytes += b.length;
      if (bytes > maxBytes) return stop(new ExecOutputTooLarge(maxBytes));
      chunks.push(b);
    });
    docker.modem.demuxStream(stream, out, new PassThrough().resume());
    // Demuxed data may still sit in `out` when the socket ends: finish it, then read.
    const finish = () => {
      if (!out.writableEnded) out.end();
    };
    out.once('end', () => {
      ended.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', (err: Error) => stop(err));
  });
}

/** `p`, or its rejection as soon as `signal` aborts (what `p` does later is left to it). */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}
