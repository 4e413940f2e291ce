/**
 * The border0 provider as the app builds it (createBorder0), against the strict stand-in and
 * a real OpenSSH tunnel server that checks the certificates the stand-in signs. Each test
 * file gets its own; forwards opened through `open` are closed after each test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { makeCa, startBorder0Standin, type Standin } from '../../../../test-support/border0-standin';
import { startTunnelSshd, type TunnelSshd } from '../../../../test-support/tunnel-sshd';
import { waitFor } from '../../../../test-support/wait-for';
import { LogStore } from '../../logs/log-store';
import type { Forward, ForwardSpec, ForwardStatus } from '../../providers/provider';
import { KeyFileCipher } from '../../secrets/secret-cipher';
import { SecretStore } from '../../secrets/secret-store';
import { SettingsStore } from '../../settings/settings-store';
import { createBorder0, type Border0 } from '../border0';

export const USER_ID = 'b0a1c2d3-e4f5-a6b7-c8d9-e0f1a2b3c4d5';

/** Statuses of one forward, awaitable. */
export class StatusLog {
  readonly all: ForwardStatus[] = [];
  private readonly listeners = new Set<() => void>();
  push = (s: ForwardStatus) => {
    this.all.push(s);
    for (const l of [...this.listeners]) l();
  };
  subscribe = (l: () => void) => (this.listeners.add(l), () => void this.listeners.delete(l));
  until<S extends ForwardStatus['state']>(state: S, pred: (s: Extract<ForwardStatus, { state: S }>) => boolean = () => true) {
    type T = Extract<ForwardStatus, { state: S }>;
    return waitFor(this.subscribe, () => this.all.find((s): s is T => s.state === state && pred(s as T)), `status ${state}`, 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; got ${JSON.stringify(this.all)}`);
    });
  }
}

export interface ProviderBed {
  dir: string;
  standin: Standin;
  sshd: TunnelSshd;
  logs: LogStore;
  border0: Border0;
  /** A forward for `lab/node:port` of `type`, closed after the test. */
  open(spec: Partial<ForwardSpec> & Pick<ForwardSpec, 'lab' | 'node' | 'port' | 'type'>): { forward: Forward; statuses: StatusLog };
  /** Another installation (own data folder, own instance id) on the same organisation. */
  another(): Promise<Border0>;
  /** Resolves once a log line (now or later) contains `text` (or matches it). */
  logged(text: string | RegExp): Promise<string>;
}

export function providerBed(prefix: string): ProviderBed {
  const opened: Forward[] = [];
  const others: Border0[] = [];
  const bed = {} as ProviderBed;

  const build = async (dataDir: string) => {
    const logs = new LogStore();
    const secrets = new SecretStore({ dataDir, cipher: new KeyFileCipher(dataDir), log: logs.logger('secrets') });
    const env = { BORDER0_API: bed.standin.apiUrl, BORDER0_WEB_URL: bed.standin.portalUrl, BORDER0_TUNNEL: `${bed.sshd.host}:${bed.sshd.port}` };
    const border0 = createBorder0({ settings: new SettingsStore(dataDir), secrets, env, logs, labTokenFiles: () => [] });
    border0.account.start();
    await border0.provider.start();
    const file = path.join(dataDir, '.border0_token');
    fs.writeFileSync(file, bed.standin.issueToken({ expInSeconds: 3600 }));
    await border0.account.importToken({ path: file });
    return { border0, logs };
  };

  beforeAll(async () => {
    bed.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const ca = await makeCa(bed.dir);
    bed.sshd = await startTunnelSshd({ caPubKeyPath: ca.caPubPath, user: USER_ID.replace(/-/g, '') });
    bed.standin = await startBorder0Standin({ caKeyPath: ca.caKeyPath, tunnelServer: { host: bed.sshd.host, port: bed.sshd.port }, hostKeyPub: bed.sshd.hostKeyPub, userId: USER_ID });
    const main = await build(fs.mkdtempSync(path.join(bed.dir, 'data-')));
    bed.border0 = main.border0;
    bed.logs = main.logs;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((f) => f.close()));
  });
  afterAll(async () => {
    await bed.border0?.provider.dispose();
    bed.border0?.account.dispose();
    for (const o of others) {
      await o.provider.dispose();
      o.account.dispose();
    }
    await bed.sshd?.stop();
    await bed.standin?.close();
    if (bed.sshd) fs.rmSync(bed.sshd.dir, { recursive: true, force: true });
    if (bed.dir) fs.rmSync(bed.dir, { recursive: true, force: true });
  });

  bed.open = (spec) => {
    const statuses = new StatusLog();
    const full: ForwardSpec = { tunnelId: `t-${spec.lab}-${spec.node}-${spec.port}`, name: '', access: [], host: 'local', ...spec };
    const forward = bed.border0.provider.open(full, { onStatus: statuses.push, onConnection: (s) => s.destroy() });
    opened.push(forward);
    return { forward, statuses };
  };
  bed.logged = (text) => {
    const hit = (m: string) => (typeof text === 'string' ? m.includes(text) : text.test(m));
    const find = () => bed.logs.query({ limit: 20_000 }).find((e) => hit(e.message))?.message;
    return waitFor((l) => bed.logs.events.on('appended', l), find, `a log line with ${String(text)}`, 20_000);
  };
  bed.another = async () => {
    const other = (await build(fs.mkdtempSync(path.join(bed.dir, 'other-')))).border0;
    others.push(other);
    return other;
  };
  return bed;
}
