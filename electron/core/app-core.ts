import path from 'node:path';
import type { Events } from '../../shared/contract';

import type { CoreOptions, Core } from './app-core-types';
import { createBorder0 } from './border0/border0';
import { createDockerClient } from './docker/docker-client';
import { LabSettingsStore } from './lab-topology/lab-settings';
import { describeLoadError, loadLocalTopology } from './lab-topology/topology-loading';
import { TopologyService } from './lab-topology/topology-service';
import { DirectDialer } from './labs/dialer';
import { LocalLabSource } from './labs/docker-lab-source';
import { localHostFiles } from './labs/host-files';
import { LabsService } from './labs/labs-service';
import { LogStore } from './logs/log-store';
import { LocalProvider } from './providers/local-provider';
import { ProviderRegistry } from './providers/provider-registry';
import { SshProvider } from './providers/ssh/ssh-provider';
import { PublicationService } from './publications/publication-service';
import { LabHostManager } from './remote/lab-host-manager';
import { createDispatcher } from './rpc/dispatch';
import { createHandlers } from './rpc/handlers';
import { KeyFileCipher } from './secrets/secret-cipher';
import { SecretStore } from './secrets/secret-store';
import { SettingsStore } from './settings/settings-store';
import { Reconciler } from './tunnels/reconciler';
import { Emitter, setListenerErrorReport } from './util/emitter';
import { ShareService } from './shares/share-service';
import { AudienceService } from './audience/audience-service';
import { createShareLogins } from './shares/share-login';
import { OwnerTerminals } from './terminals/owner-terminals';
import { TerminalService } from './terminals/terminal-service';

export type { Core, CoreOptions, StartupNote } from './app-core-types';

/**
 * The composition root: builds every service once, wires their changes to contract events,
 * and disposes them in reverse order. Electron's main process and the headless host both
 * call this; neither knows the services behind it.
 */
export function createCore(opts: CoreOptions): Core {
  const logs = new LogStore({ dir: path.join(opts.dataDir, 'logs') });
  const log = logs.logger('core');
  const shellLog = logs.logger('shell');
  for (const note of opts.notes ?? []) shellLog.log(note.level, note.message);
  // A listener that throws is one error in the log (util/emitter.ts), never a stopped emitter.
  const undoListenerReport = setListenerErrorReport((event, err) => log.error(`a listener of ${event} failed: ${(err as Error)?.message ?? String(err)}`, { stack: (err as Error)?.stack ?? null }));
  const settings = new SettingsStore(opts.dataDir, logs.logger('settings'));
  const env = opts.env ?? process.env;
  const secrets = new SecretStore({ dataDir: opts.dataDir, cipher: opts.secretCipher ?? new KeyFileCipher(opts.dataDir), log: logs.logger('secrets') });
  // Called only after start(), when `topology` below exists.
  const border0 = createBorder0({ settings, secrets, env, logs, labTokenFiles: () => labHelperTokenFiles(topology) });
  const providers = new ProviderRegistry([
    new LocalProvider({ settings, log: logs.logger('provider.local') }),
    new SshProvider({ settings, log: logs.logger('provider.ssh') }),
    border0.provider,
  ]);
  const labSource = new LocalLabSource({ docker: createDockerClient(opts.dockerHost), log: logs.logger('docker') });
  const labs = new LabsService([{ source: labSource, dialer: new DirectDialer(), files: localHostFiles, docker: () => labSource.docker }]);
  // Remote hosts from settings join the LabsService here, before anything reconciles: their
  // saved publications wait for them instead of being skipped as unknown.
  const labHosts = new LabHostManager({ settings, labs, log: logs.logger('hosts') });
  const publications = new PublicationService({ settings, providers, labs, log: logs.logger('publications') });
  // The shares hold ports closed and admit connections through the tunnels' gate interface;
  // they read the tunnels back (endpoints for the card) through the reconciler built next.
  const shares = new ShareService({
    dataDir: opts.dataDir,
    settings,
    secrets,
    publications,
    labs,
    providers,
    tunnels: { list: () => reconciler.list(), onChanged: (l) => reconciler.onChanged(l) },
    log: logs.logger('shares'),
  });
  const reconciler: Reconciler = new Reconciler({ publications, labs, providers, logs, gate: shares.gate });
  // Shells on lab nodes: the audience's browser terminals and the owner's own. The terminal
  // layer knows nothing of shares; the owner's "login from a share" is looked up here.
  const terminals = new TerminalService({ labs, settings, dataDir: opts.dataDir, log: logs.logger('terminals') });
  // One rule for the login a share names for a node: the owner's terminal and the audience's.
  const shareLogin = createShareLogins({ shares, secrets, labs });
  const ownerTerminals = new OwnerTerminals({
    terminals,
    log: logs.logger('terminals'),
    shareLogin,
    checkShare: (id) => void shares.get(id),
  });
  // The audience of the shares: attendees, each share's page on its own listener (published
  // through the share's provider), the page's terminals.
  const audience = new AudienceService({
    terminals,
    shareLogin,
    shares,
    labs,
    providers,
    tunnels: reconciler,
    settings,
    log: logs.logger('audience'),
    assetsDir: opts.audienceDir,
  });
  const topology = new TopologyService({
    labs,
    publications,
    labSettings: new LabSettingsStore(settings),
    load: loadLocalTopology,
    describe: describeLoadError,
    log: logs.logger('topology'),
    files: (host) => labs.filesFor(host),
  });
  const events = new Emitter<Events>();
  const dispatch = createDispatcher(createHandlers({ labs, publications, providers, reconciler, logs, topology, border0: border0.account, labHosts, shares, audience, terminals, ownerTerminals }), log);
  const unsubs: (() => void)[] = [];

  return {
    dispatch,
    events,
    async start() {
      unsubs.push(
        logs.events.on('appended', (batch) => events.emit('logs.appended', batch)),
        logs.events.on('status', (status) => events.emit('logs.status', status)),
        labs.onHostsChanged((h) => events.emit('hosts.changed', h)),
        labs.onLabsChanged((l) => events.emit('labs.changed', l)),
        publications.onChanged((p) => events.emit('publications.changed', p)),
        providers.onChanged((p) => events.emit('providers.changed', p)),
        reconciler.onChanged((t) => events.emit('tunnels.changed', t)),
        reconciler.onUpdated((t) => events.emit('tunnels.updated', t)),
        topology.onChanged((t) => events.emit('topology.changed', t)),
        border0.account.onChanged(() => events.emit('accounts.changed', [border0.account.info()])),
        shares.onChanged((s) => events.emit('shares.changed', s)),
        shares.onAuditChanged((a) => events.emit('shares.auditChanged', a)),
        audience.onChanged((a) => events.emit('shares.audienceChanged', a)),
        terminals.onChanged((t) => events.emit('terminals.changed', t)),
        ownerTerminals.onOutput((o) => events.emit('terminals.output', o)),
      );
      log.info(`starting; data folder ${opts.dataDir}`);
      border0.account.start();
      await providers.start();
      await publications.start();
      // Before the reconciler: an expired share's ports never open, not even for a moment.
      await shares.start();
      await labs.start();
      reconciler.start();
      await audience.start();
      await topology.start();
      await terminals.start();
    },
    async dispose() {
      log.info('shutting down: closing tunnels and listeners');
      // The audience first: its pages end and their sessions with them, then the terminals.
      await audience.dispose();
      ownerTerminals.dispose();
      await terminals.dispose();
      topology.dispose();
      await reconciler.dispose();
      await shares.dispose();
      publications.dispose();
      await labs.dispose();
      await providers.dispose();
      border0.account.dispose();
      unsubs.forEach((u) => u());
      await logs.dispose();
      events.clear();
      undoListenerReport();
    },
  };
}

/** Token files that labs' legacy helper nodes (kind mysocketio / border0) mounted. */
function labHelperTokenFiles(topology: TopologyService | undefined): { path: string; origin: string }[] {
  return (topology?.list() ?? []).flatMap((t) =>
    (t.report?.helpers ?? []).filter((h) => h.tokenFile).map((h) => ({ path: h.tokenFile!, origin: `lab ${t.lab}, node ${h.node} (kind ${h.kind})` })),
  );
}
