/**
 * Helpers for the dataplane's integration tests: a real tinyproxy, a logger and a status
 * recorder that tests can await, a credentials() that signs a fresh key with a test CA, and
 * the bed every dataplane test file runs on (CA, tunnel sshd, echo server, hooks).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { makeCa, signUserKey, startTunnelSshd, type TunnelSshd } from '../../../../test-support/tunnel-sshd';
export { freePort } from '../../../../test-support/free-port';
export { startTinyproxy, type Tinyproxy } from '../../../../test-support/tinyproxy';
import type { LogFields, Logger } from '../../logs/logger';
import type { LogLevel } from '../../../../shared/model';
import { startEchoServer } from '../../../../test-support/echo-server';
import { waitFor } from '../../../../test-support/wait-for';
import { Border0Dataplane, type DataplaneOptions, type DataplaneStatus } from './dataplane';
import type { SessionCredentials } from './dataplane-login';
import { generateKeyPair } from '../../ssh/keys';

const WAIT_MS = 20_000;

/** Something that calls its listeners whenever it changes, for `waitFor`. */
class Changes {
  private readonly listeners = new Set<() => void>();
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  };
  protected changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

export interface LogLine {
  level: LogLevel;
  message: string;
  fields?: LogFields;
}

export class TestLog extends Changes implements Logger {
  readonly lines: LogLine[] = [];
  log(level: LogLevel, message: string, fields?: LogFields): void {
    this.lines.push({ level, message, fields });
    this.changed();
  }
  debug = (m: string, f?: LogFields) => this.log('debug', m, f);
  info = (m: string, f?: LogFields) => this.log('info', m, f);
  warn = (m: string, f?: LogFields) => this.log('warn', m, f);
  error = (m: string, f?: LogFields) => this.log('error', m, f);
  child = (): Logger => this;

  until(pred: (l: LogLine) => boolean, what: string): Promise<LogLine> {
    return waitFor(this.subscribe, () => this.lines.find(pred), what, WAIT_MS);
  }
}

/** Records statuses and forwards connections to a local TCP port (the "node"). */
export class Recorder extends Changes {
  readonly statuses: DataplaneStatus[] = [];
  readonly from: string[] = [];
  private readonly sockets = new Set<Duplex>();
  constructor(private readonly pipeTo?: number) {
    super();
  }
  onStatus = (s: DataplaneStatus) => {
    this.statuses.push(s);
    this.changed();
  };
  onConnection = (stream: Duplex, from: string) => {
    this.from.push(from);
    if (!this.pipeTo) return void stream.destroy();
    const up = net.connect({ host: '127.0.0.1', port: this.pipeTo });
    for (const s of [stream, up]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => (s === up ? stream : up).destroy());
    }
    stream.pipe(up).pipe(stream);
  };
  get last(): DataplaneStatus | undefined {
    return this.statuses[this.statuses.length - 1];
  }
  /** The latest status (now or later) in `state`, matching `pred`. */
  until<S extends DataplaneStatus['state']>(state: S, pred: (s: Extract<DataplaneStatus, { state: S }>) => boolean = () => true, since = 0) {
    type T = Extract<DataplaneStatus, { state: S }>;
    const match = () => this.statuses.slice(since).find((s): s is T => s.state === state && pred(s as T));
    return waitFor(this.subscribe, match, `status ${state}; got ${JSON.stringify(this.statuses)}`, WAIT_MS);
  }
  destroyAll(): void {
    for (const s of this.sockets) s.destroy();
  }
}

/** A credentials() as the API would answer: a fresh key signed by the test CA each call. */
export function testCredentials(o: { caKey: string; principal: string; hostKey: string }) {
  const issued: { publicKey: string; certificate: string }[] = [];
  const credentials = async (): Promise<SessionCredentials> => {
    const kp = generateKeyPair('clab-test');
    const certificate = await signUserKey({ caKey: o.caKey, pubLine: kp.publicKey, principal: o.principal });
    issued.push({ publicKey: kp.publicKey, certificate });
    return { privateKey: kp.privateKey, certificate, hostKey: o.hostKey };
  };
  return { credentials, issued };
}

/**
 * process.getActiveResourcesInfo() once `done` holds, polled for up to 3 s: sockets the test
 * itself used are still closing and finished children are being reaped for a moment, while
 * anything a component leaked (a timer, a socket) stays and fails the check.
 */
export async function activeResourcesWhen(done: (r: string[]) => boolean): Promise<string[]> {
  const now = () => process.getActiveResourcesInfo().sort();
  const deadline = Date.now() + 3000;
  while (!done(now()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return now();
}

export const noSocketsInFlight = (r: string[]) => !r.includes('TCPSocketWrap') && !r.includes('ConnectWrap');

/** No more resources of any kind than `before` (the runner's own timers come and go). */
export const noMoreThan = (before: string[]) => (r: string[]) => {
  const count = (list: string[], t: string) => list.filter((x) => x === t).length;
  return r.every((t) => count(r, t) <= count(before, t));
};

/** What a dataplane test file runs against; filled in by the hooks `dataplaneBed` registers. */
export interface DataplaneBed {
  dir: string;
  ca: { caKey: string; caPub: string };
  /** A real OpenSSH tunnel server trusting `ca`, started again after each test (one may stop it). */
  sshd: TunnelSshd;
  /** The "node" every connection is piped to. */
  echo: Awaited<ReturnType<typeof startEchoServer>>;
  /** Runs after the test (in reverse order), before the tunnel server is started again. */
  cleanup(fn: () => Promise<void> | void): void;
  /** A dataplane to the bed's tunnel server as `DATAPLANE_USER`, closed after the test. */
  dataplane(over?: Partial<DataplaneOptions>): { dp: Border0Dataplane; rec: Recorder; log: TestLog; creds: ReturnType<typeof testCredentials> };
}

export const DATAPLANE_USER = 'b0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';

/** Registers the calling file's hooks: CA + tunnel sshd + echo server for all its tests. */
export function dataplaneBed(prefix: string): DataplaneBed {
  const cleanups: (() => Promise<void> | void)[] = [];
  const bed = {
    cleanup: (fn: () => Promise<void> | void) => void cleanups.push(fn),
    dataplane: (over: Partial<DataplaneOptions> = {}) => {
      const rec = new Recorder(bed.echo.port);
      const log = new TestLog();
      const creds = testCredentials({ caKey: bed.ca.caKey, principal: DATAPLANE_USER, hostKey: bed.sshd.hostKeyBlob });
      const dp = new Border0Dataplane({
        tunnelServer: { host: bed.sshd.host, port: bed.sshd.port },
        username: DATAPLANE_USER,
        credentials: creds.credentials,
        localPort: 0,
        log,
        onStatus: rec.onStatus,
        onConnection: rec.onConnection,
        backoff: { initialMs: 100, maxMs: 400 },
        ...over,
      });
      cleanups.push(async () => {
        await dp.close();
        rec.destroyAll();
      });
      return { dp, rec, log, creds };
    },
  } as DataplaneBed;
  beforeAll(async () => {
    bed.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    bed.ca = await makeCa(bed.dir);
    [bed.sshd, bed.echo] = await Promise.all([startTunnelSshd({ caPubKeyPath: bed.ca.caPub, user: DATAPLANE_USER }), startEchoServer()]);
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await bed.sshd?.start();
  });
  afterAll(async () => {
    await bed.sshd?.stop();
    await bed.echo?.close();
    if (bed.sshd) fs.rmSync(bed.sshd.dir, { recursive: true, force: true });
    if (bed.dir) fs.rmSync(bed.dir, { recursive: true, force: true });
  });
  return bed;
}
