/**
 * A child process running the app's own forwarding path, wired as createCore wires it (logs
 * on disk, settings, provider registry, publications, reconciler → TunnelRuntime →
 * DirectDialer), with one static lab whose node is a bench server on 127.0.0.1 instead of a
 * container. argv[2]: JSON {dataDir, provider: 'local'|'ssh', nodePort, ssh?: relay}.
 * Answers `ready` {port} once the tunnel is online; `stop` closes everything and exits.
 */
import path from 'node:path';
import type { Lab, LabHostStatus, Tunnel } from '../../shared/model';
import type { LabSource } from '../../electron/core/labs/lab-source';
import { LabsService } from '../../electron/core/labs/labs-service';
import { LogStore } from '../../electron/core/logs/log-store';
import { LocalProvider } from '../../electron/core/providers/local-provider';
import { ProviderRegistry } from '../../electron/core/providers/provider-registry';
import { HostKeyStore } from '../../electron/core/ssh/host-key-store';
import { SshProvider } from '../../electron/core/providers/ssh/ssh-provider';
import { PublicationService } from '../../electron/core/publications/publication-service';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import { DirectDialer } from '../../electron/core/labs/dialer';
import { Reconciler } from '../../electron/core/tunnels/reconciler';
import { reply, type Message } from './procs';

export interface ForwarderConfig {
  dataDir: string;
  provider: 'local' | 'ssh';
  nodePort: number;
  /** What the node port speaks: tcp (default) or udp. */
  type?: 'tcp' | 'udp';
  ssh?: { host: string; port: number; user: string; keyFile: string; fingerprint: string };
}

/** One lab, one running node at 127.0.0.1: what the reconciler needs to dial it. */
class StaticLabSource implements LabSource {
  readonly hostId = 'local';
  constructor(
    private readonly nodePort: number,
    private readonly protocol: 'tcp' | 'udp' = 'tcp',
  ) {}
  labs(): Lab[] {
    const node = { name: 'n1', containerName: 'clab-bench-n1', containerId: 'bench', kind: 'linux', type: '', image: 'bench', state: 'running' as const, ipv4: '127.0.0.1', ports: [{ port: this.nodePort, protocol: this.protocol, source: 'listening' as const }] };
    return [{ host: 'local', name: 'bench', nodes: [node] }];
  }
  status(): LabHostStatus {
    return { id: 'local', label: 'bench', kind: 'local', state: 'connected' };
  }
  onChanged(): () => void {
    return () => undefined;
  }
  async start(): Promise<void> {}
  async dispose(): Promise<void> {}
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]) as ForwarderConfig;
  // The bench runner went away: nothing will ask this child to stop.
  process.on('disconnect', () => process.exit(0));
  const logs = new LogStore({ dir: path.join(cfg.dataDir, 'logs') });
  const settings = new SettingsStore(cfg.dataDir);
  const ssh = new SshProvider({ settings, log: logs.logger('provider.ssh') });
  const providers = new ProviderRegistry([new LocalProvider({ settings, log: logs.logger('provider.local') }), ssh]);
  const labs = new LabsService([{ source: new StaticLabSource(cfg.nodePort, cfg.type), dialer: new DirectDialer() }]);
  const publications = new PublicationService({ settings, providers, labs, log: logs.logger('publications') });
  const reconciler = new Reconciler({ publications, labs, providers, logs });
  await providers.start();
  await publications.start();
  await labs.start();
  reconciler.start();
  if (cfg.provider === 'ssh' && cfg.ssh) {
    const r = cfg.ssh;
    new HostKeyStore(settings).trust(r.host, r.port, { algorithm: 'ssh-ed25519', fingerprint: r.fingerprint });
    await ssh.configure({ host: r.host, port: r.port, user: r.user, keyFile: r.keyFile, useAgent: false, bindAddress: '' });
  }
  const online = new Promise<Tunnel>((resolve, reject) => {
    reconciler.onChanged((tunnels) => {
      const t = tunnels[0];
      if (t?.state === 'online') resolve(t);
      else if (t?.state === 'failed') reject(new Error(`tunnel failed: ${t.reason}`));
    });
  });
  publications.add({ host: 'local', lab: 'bench', node: 'n1', port: cfg.nodePort, type: cfg.type ?? 'tcp', provider: cfg.provider, access: [] });
  const tunnel = await online;
  reply({ type: 'ready', port: tunnel.endpoint!.port, rss: process.memoryUsage().rss });

  process.on('message', (m: Message) => {
    if (m.type === 'stats') reply({ type: 'stats', rss: process.memoryUsage().rss, counters: reconciler.list()[0]?.counters });
    if (m.type !== 'stop') return;
    void (async () => {
      await reconciler.dispose();
      await providers.dispose();
      await logs.dispose();
      process.exit(0);
    })();
  });
}

main().catch((err: Error) => {
  reply({ type: 'error', message: err.message });
  setTimeout(() => process.exit(1), 100);
});
