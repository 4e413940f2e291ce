/**
 * A child running the app's forwarding path with the shares wired in as createCore wires them
 * (the ShareService as the reconciler's gate, audit on disk): three published ports of one
 * static lab whose nodes are a bench echo server on 127.0.0.1. `listed` is in a share with an
 * allow-list of `cidrs` rules (the one that admits 127.0.0.1 last), `unlisted` in a share with
 * no rule, `unshared` in none. argv[2]: JSON {dataDir, nodePort, cidrs}. Answers `ready`.
 */
import path from 'node:path';
import type { Lab, LabHostStatus, Tunnel } from '../../shared/model';
import type { LabSource } from '../../electron/core/labs/lab-source';
import { LabsService } from '../../electron/core/labs/labs-service';
import { LogStore } from '../../electron/core/logs/log-store';
import { LocalProvider } from '../../electron/core/providers/local-provider';
import { ProviderRegistry } from '../../electron/core/providers/provider-registry';
import { PublicationService } from '../../electron/core/publications/publication-service';
import { KeyFileCipher } from '../../electron/core/secrets/secret-cipher';
import { SecretStore } from '../../electron/core/secrets/secret-store';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import { ShareService } from '../../electron/core/shares/share-service';
import { DirectDialer } from '../../electron/core/labs/dialer';
import { Reconciler } from '../../electron/core/tunnels/reconciler';
import { AllowList } from '../../electron/core/shares/allow-list';
import { reply, type Message } from './procs';

export interface ShareForwarderConfig {
  dataDir: string;
  nodePort: number;
  cidrs: number;
}

const NODES = ['listed', 'unlisted', 'unshared'] as const;

class StaticLabSource implements LabSource {
  readonly hostId = 'local';
  constructor(private readonly nodePort: number) {}
  labs(): Lab[] {
    const node = (name: string) => ({ name, containerName: `clab-bench-${name}`, containerId: name, kind: 'linux', type: '', image: 'bench', state: 'running' as const, ipv4: '127.0.0.1', ports: [{ port: this.nodePort, protocol: 'tcp' as const, source: 'listening' as const }] });
    return [{ host: 'local', name: 'bench', nodes: NODES.map(node) }];
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

/** `n` rules none of which admits loopback, then 127.0.0.0/8: every check walks the whole list. */
export function allowList(n: number): string[] {
  const rules: string[] = [];
  for (let i = 0; rules.length < n - 1; i++) rules.push(i % 2 ? `10.${(i >> 8) & 255}.${i & 255}.0/24` : `2001:db8:${(i & 0xffff).toString(16)}::/48`);
  return [...rules, '127.0.0.0/8'];
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]) as ShareForwarderConfig;
  process.on('disconnect', () => process.exit(0));
  const logs = new LogStore({ dir: path.join(cfg.dataDir, 'logs') });
  const settings = new SettingsStore(cfg.dataDir);
  const secrets = new SecretStore({ dataDir: cfg.dataDir, cipher: new KeyFileCipher(cfg.dataDir), log: logs.logger('secrets') });
  const providers = new ProviderRegistry([new LocalProvider({ settings, log: logs.logger('provider.local') })]);
  const labs = new LabsService([{ source: new StaticLabSource(cfg.nodePort), dialer: new DirectDialer() }]);
  const publications = new PublicationService({ settings, providers, labs, log: logs.logger('publications') });
  const shares = new ShareService({ dataDir: cfg.dataDir, settings, secrets, publications, labs, providers, tunnels: { list: () => reconciler.list(), onChanged: (l) => reconciler.onChanged(l) }, log: logs.logger('shares') });
  const reconciler: Reconciler = new Reconciler({ publications, labs, providers, logs, gate: shares.gate });
  await providers.start();
  await publications.start();
  await shares.start();
  await labs.start();
  reconciler.start();
  const ids = NODES.map((node) => publications.add({ host: 'local', lab: 'bench', node, port: cfg.nodePort, type: 'tcp', provider: 'local', access: [] }).id);
  shares.create({ host: 'local', lab: 'bench', title: 'listed', ports: [{ node: 'listed', port: cfg.nodePort }], until: 'never', allow: allowList(cfg.cidrs), includeCredentials: false, auditLimit: 100_000 });
  shares.create({ host: 'local', lab: 'bench', title: 'unlisted', ports: [{ node: 'unlisted', port: cfg.nodePort }], until: 'never', allow: [], includeCredentials: false, auditLimit: 100_000 });
  const online = await new Promise<Tunnel[]>((resolve) => {
    const check = (ts: Tunnel[]) => {
      const up = ids.map((id) => ts.find((t) => t.publicationId === id && t.state === 'online' && t.endpoint));
      if (up.every(Boolean)) resolve(up as Tunnel[]);
    };
    reconciler.onChanged(check);
    check(reconciler.list());
  });
  reply({ type: 'ready', ports: Object.fromEntries(NODES.map((n, i) => [n, online[i].endpoint!.port])) });
  process.on('message', (m: Message) => {
    if (m.type === 'checkCost') {
      // The list check alone, as the accept path runs it: µs per connection.
      const list = new AllowList(allowList(cfg.cidrs));
      const n = 20_000;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) list.admits(i % 2 ? '127.0.0.1' : '::ffff:127.0.0.1');
      reply({ type: 'checkCost', us: Number(process.hrtime.bigint() - t0) / n / 1000 });
    }
    if (m.type === 'audit') reply({ type: 'audit', counts: shares.list().map((s) => [s.title, shares.audit(s.id).records.length]) });
    if (m.type !== 'stop') return;
    void (async () => {
      await reconciler.dispose();
      await shares.dispose();
      await providers.dispose();
      logs.dispose();
      process.exit(0);
    })();
  });
}

main().catch((err: Error) => {
  reply({ type: 'error', message: err.message });
  setTimeout(() => process.exit(1), 100);
});
