import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LabHostStatus, Tunnel } from '../../../shared/model';
import { startEchoServer } from '../../../test-support/echo-server';
import { echoThrough } from '../../../test-support/net-client';
import { waitFor } from '../../../test-support/wait-for';
import { DirectDialer } from '../labs/dialer';
import type { LabSource } from '../labs/lab-source';
import { LabsService } from '../labs/labs-service';
import { LogStore } from '../logs/log-store';
import { LocalProvider } from '../providers/local-provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { PublicationService } from '../publications/publication-service';
import { SettingsStore } from '../settings/settings-store';
import { Reconciler } from './reconciler';

/** One lab of three nodes, all a real echo server on 127.0.0.1. */
class StaticLabSource implements LabSource {
  readonly hostId = 'local';
  constructor(private readonly port: number) {}
  labs(): Lab[] {
    const node = (name: string) => ({ name, containerName: `clab-lab1-${name}`, containerId: name, kind: 'linux', type: '', image: 'i', state: 'running' as const, ipv4: '127.0.0.1', ports: [{ port: this.port, protocol: 'tcp' as const, source: 'listening' as const }] });
    return [{ host: 'local', name: 'lab1', nodes: ['r1', 'r2', 'r3'].map(node) }];
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

describe('Reconciler events', () => {
  let dir: string;
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  let providers: ProviderRegistry;
  let reconciler: Reconciler;
  const ids: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconciler-test-'));
    echo = await startEchoServer();
    const logs = new LogStore();
    const settings = new SettingsStore(dir);
    providers = new ProviderRegistry([new LocalProvider({ settings, log: logs.logger('provider.local') })]);
    await providers.start();
    const labs = new LabsService([{ source: new StaticLabSource(echo.port), dialer: new DirectDialer() }]);
    const publications = new PublicationService({ settings, providers, labs, log: logs.logger('publications') });
    await publications.start();
    await labs.start();
    reconciler = new Reconciler({ publications, labs, providers, logs });
    reconciler.start();
    for (const node of ['r1', 'r2', 'r3']) ids.push(publications.add({ host: 'local', lab: 'lab1', node, port: echo.port, type: 'tcp', provider: 'local', access: [] }).id);
  });

  afterAll(async () => {
    await reconciler?.dispose();
    await providers?.dispose();
    await echo?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends a state change as the whole list, and counter moves as a delta of only the tunnels that moved', async () => {
    const all = await waitFor(
      (l) => reconciler.onChanged(l),
      () => {
        const list = reconciler.list();
        return list.length === 3 && list.every((t) => t.state === 'online' && t.endpoint) && list;
      },
      'three tunnels online',
    );
    const [moving, ...quiet] = ids.map((id) => all.find((t) => t.publicationId === id)!);
    const events: { kind: 'changed' | 'updated'; tunnels: Tunnel[] }[] = [];
    const offs = [reconciler.onChanged((t) => events.push({ kind: 'changed', tunnels: t })), reconciler.onUpdated((t) => events.push({ kind: 'updated', tunnels: t }))];
    try {
      await echoThrough(moving.endpoint!.host, moving.endpoint!.port, Buffer.from('ping'));
      const counted = (e: (typeof events)[number]) => e.tunnels.some((t) => t.id === moving.id && t.counters.total === moving.counters.total + 1 && t.counters.open === 0);
      await waitFor((l) => reconciler.onUpdated(l), () => events.some(counted), 'the connection counted and closed');
      // It went out as a delta first, not as the whole list.
      const first = events.find(counted)!;
      expect(first.kind).toBe('updated');
      expect(first.tunnels.length).toBeLessThan(3);
      const snapshot = first.tunnels.find((t) => t.id === moving.id)!;
      expect(snapshot).toMatchObject({ state: 'online', counters: { bytesIn: moving.counters.bytesIn + 4, bytesOut: moving.counters.bytesOut + 4 } });
      expect(snapshot.throughput?.in.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
      // The quiet tunnels' counters never moved in any delta (a health probe of theirs may put them in one).
      for (const e of events.filter((x) => x.kind === 'updated')) {
        for (const q of quiet) expect(e.tunnels.find((t) => t.id === q.id)?.counters ?? q.counters).toEqual(q.counters);
      }
      // tunnels.list still has the moved counters.
      const now = reconciler.list();
      expect(now.find((t) => t.id === moving.id)?.counters.total).toBe(moving.counters.total + 1);
      // Ordered by seq: the delta is newer than the list before it, and a list after it is not
      // older; the quiet tunnels kept theirs (equal snapshots, so the UI keeps their rows).
      expect(snapshot.seq).toBeGreaterThan(moving.seq!);
      expect(now.find((t) => t.id === moving.id)!.seq).toBeGreaterThanOrEqual(snapshot.seq!);
      for (const q of quiet) {
        const again = now.find((t) => t.id === q.id)!;
        if (!events.some((e) => e.tunnels.some((t) => t.id === q.id))) expect(again.seq).toBe(q.seq);
      }
    } finally {
      offs.forEach((off) => off());
    }
  });
});
