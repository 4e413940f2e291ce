/**
 * Test harness for TunnelRuntime: builds runtimes against a real provider and dialer and
 * turns their change callbacks and log entries into awaitable promises (no sleeps).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabNode, LogEntry, Publication, Tunnel } from '../../../shared/model';
import { LogStore } from '../logs/log-store';
import { LocalProvider } from '../providers/local-provider';
import type { TunnelProvider } from '../providers/provider';
import { SettingsStore } from '../settings/settings-store';
import { startEchoServer } from '../../../test-support/echo-server';
import { waitFor } from '../../../test-support/wait-for';
import { Emitter } from '../util/emitter';
import { DirectDialer } from '../labs/dialer';
import { TunnelRuntime, type TunnelRuntimeDeps } from './tunnel-runtime';

export const basePub: Publication = { id: 'p1', host: 'local', lab: 'lab1', node: 'r1', port: 0, type: 'tcp', provider: 'local', access: [], origin: 'ui', createdAt: 0 };

export const runningNode = (ipv4 = '127.0.0.1'): LabNode => ({ name: 'r1', containerName: 'clab-lab1-r1', containerId: 'x', kind: 'linux', type: '', image: 'i', state: 'running', ipv4, ports: [] });

export class RuntimeHarness {
  readonly logs = new LogStore({ batchMs: 5 });
  private readonly changes = new Emitter<{ c: void }>();
  private readonly runtimes: TunnelRuntime[] = [];

  create(pub: Partial<Publication>, provider: TunnelProvider, extra: Partial<TunnelRuntimeDeps> = {}): TunnelRuntime {
    const p = { ...basePub, ...pub };
    const rt = new TunnelRuntime(p, {
      provider,
      dialer: new DirectDialer(),
      log: this.logs.logger('tunnel', p.id),
      changed: () => this.changes.emit('c', undefined),
      ...extra,
    });
    this.runtimes.push(rt);
    return rt;
  }

  /** The runtime's snapshot once `pred` holds, re-checked on every change it reports. */
  until(rt: TunnelRuntime, what: string, pred: (t: Tunnel) => boolean, timeoutMs?: number): Promise<Tunnel> {
    return waitFor(
      (l) => this.changes.on('c', l),
      () => {
        const t = rt.snapshot();
        return pred(t) && t;
      },
      what,
      timeoutMs,
    );
  }

  /** A log entry matching `pred`, already written or still to come. */
  logged(what: string, pred: (e: LogEntry) => boolean): Promise<LogEntry> {
    return waitFor(
      (l) => this.logs.events.on('appended', l),
      () => this.entries().find(pred),
      `log entry: ${what}`,
    );
  }

  entries(): LogEntry[] {
    return this.logs.query({ limit: 100_000 });
  }

  async dispose(): Promise<void> {
    await Promise.all(this.runtimes.map((r) => r.stop()));
    this.logs.dispose();
  }
}

/** A harness, the local provider in a temp settings folder, and a real echo server as the node. */
export interface LocalRuntimeSetup {
  h: RuntimeHarness;
  provider: LocalProvider;
  echo: Awaited<ReturnType<typeof startEchoServer>>;
  dispose(): Promise<void>;
}

export async function localRuntimeSetup(prefix: string): Promise<LocalRuntimeSetup> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const h = new RuntimeHarness();
  const provider = new LocalProvider({ settings: new SettingsStore(dir), log: h.logs.logger('t') });
  await provider.start();
  const echo = await startEchoServer();
  return {
    h,
    provider,
    echo,
    dispose: async () => {
      await h.dispose();
      await provider.dispose();
      await echo.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
