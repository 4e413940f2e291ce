/**
 * A core wired as createCore wires it (settings, secrets, the local provider, publications,
 * shares, the reconciler with the shares' gate), with one static lab whose node is a real echo
 * server on 127.0.0.1 and a clock the test moves. Restartable on the same data folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Lab, LabHostStatus, Tunnel } from '../../../shared/model';
import type { LabSource } from '../labs/lab-source';
import { LabsService } from '../labs/labs-service';
import { LogStore } from '../logs/log-store';
import { LocalProvider } from '../providers/local-provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { HostKeyStore } from '../ssh/host-key-store';
import { SshProvider } from '../providers/ssh/ssh-provider';
import { PublicationService } from '../publications/publication-service';
import type { TestSshd } from '../../../test-support/sshd';
import { KeyFileCipher } from '../secrets/secret-cipher';
import { SecretStore } from '../secrets/secret-store';
import { SettingsStore } from '../settings/settings-store';
import net from 'node:net';
import { waitFor } from '../../../test-support/wait-for';
import { DirectDialer } from '../labs/dialer';
import { Reconciler } from '../tunnels/reconciler';
import type { SchedulerClock } from './expiry-scheduler';
import { ShareService } from './share-service';

/** The node: a real echo server that counts the bytes that reached it (health probes send none). */
export interface CountingEcho {
  port: number;
  received: number;
  close(): Promise<void>;
}

export async function startCountingEcho(): Promise<CountingEcho> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('data', (b: Buffer) => (echo.received += b.length));
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const echo: CountingEcho = {
    port: (server.address() as net.AddressInfo).port,
    received: 0,
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
  return echo;
}

/** A clock the test moves; timers due by then run in order. */
export class ManualClock implements SchedulerClock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  constructor(public t: number) {}
  now = (): number => this.t;
  setTimer = (fn: () => void, ms: number): unknown => {
    const id = ++this.ids;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimer = (id: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }
}

class StaticLabSource implements LabSource {
  readonly hostId = 'local';
  constructor(private readonly ports: number[]) {}
  labs(): Lab[] {
    const node = (name: string, kind: string) => ({ name, containerName: `clab-lab1-${name}`, containerId: name, kind, type: '', image: 'i', state: 'running' as const, ipv4: '127.0.0.1', ports: this.ports.map((port) => ({ port, protocol: 'tcp' as const, source: 'listening' as const })) });
    return [{ host: 'local', name: 'lab1', nodes: [node('r1', 'nokia_srlinux'), node('r2', 'linux')] }];
  }
  status(): LabHostStatus {
    return { id: 'local', label: 'test', kind: 'local', state: 'connected' };
  }
  onChanged(): () => void {
    return () => undefined;
  }
  async start(): Promise<void> {}
  async dispose(): Promise<void> {}
}

export interface ShareCore {
  dir: string;
  clock: ManualClock;
  logs: LogStore;
  settings: SettingsStore;
  secrets: SecretStore;
  labs: LabsService;
  providers: ProviderRegistry;
  publications: PublicationService;
  shares: ShareService;
  reconciler: Reconciler;
  echo: CountingEcho;
  tunnel(pubId: string, what: string, pred: (t: Tunnel) => boolean): Promise<Tunnel>;
  /** Stops this core (tunnels closed) and starts another on the same folder and clock. */
  restart(atTime?: number): Promise<ShareCore>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startShareCore(o: { dir?: string; clock?: ManualClock; echo?: CountingEcho; relay?: TestSshd; relayBind?: string } = {}): Promise<ShareCore> {
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shares-test-'));
  const clock = o.clock ?? new ManualClock(Date.now());
  const echo = o.echo ?? (await startCountingEcho());
  const logs = new LogStore({ batchMs: 5 });
  const settings = new SettingsStore(dir);
  const secrets = new SecretStore({ dataDir: dir, cipher: new KeyFileCipher(dir), log: logs.logger('secrets') });
  const ssh = new SshProvider({ settings, log: logs.logger('provider.ssh') });
  const providers = new ProviderRegistry([new LocalProvider({ settings, log: logs.logger('provider.local') }), ssh]);
  const labs = new LabsService([{ source: new StaticLabSource([echo.port]), dialer: new DirectDialer() }]);
  const publications = new PublicationService({ settings, providers, labs, log: logs.logger('publications') });
  const shares = new ShareService({ dataDir: dir, settings, secrets, publications, labs, providers, tunnels: { list: () => reconciler.list(), onChanged: (l) => reconciler.onChanged(l) }, log: logs.logger('shares'), clock });
  const reconciler: Reconciler = new Reconciler({ publications, labs, providers, logs, gate: shares.gate });
  await providers.start();
  if (o.relay) {
    const r = o.relay;
    new HostKeyStore(settings).trust(r.host, r.port, { algorithm: 'ssh-ed25519', fingerprint: r.hostKeyFingerprint });
    await ssh.configure({ host: r.host, port: r.port, user: r.user, keyFile: r.clientKeyPath, useAgent: false, bindAddress: o.relayBind ?? '' });
  }
  await publications.start();
  await shares.start();
  await labs.start();
  reconciler.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await reconciler.dispose();
    await shares.dispose();
    await providers.dispose();
    logs.dispose();
  };
  const core: ShareCore = {
    dir,
    clock,
    logs,
    settings,
    secrets,
    labs,
    providers,
    publications,
    shares,
    reconciler,
    echo,
    tunnel: (pubId, what, pred) =>
      waitFor(
        (l) => reconciler.onChanged(l),
        () => reconciler.list().find((t) => t.publicationId === pubId && pred(t)),
        what,
      ),
    restart: async (atTime) => {
      await stop();
      if (atTime !== undefined) clock.t = atTime;
      return startShareCore({ dir, clock, echo, relay: o.relay, relayBind: o.relayBind });
    },
    stop,
    dispose: async () => {
      await stop();
      await echo.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return core;
}
