import path from 'node:path';
import type { Events } from '../../shared/contract';

import type { CoreOptions, Core } from './app-core-types';
import { createDockerClient } from './docker/docker-client';
import { LocalLabSource } from './docker/local-lab-source';
import { LabsService } from './labs/labs-service';
import { LabSettingsStore } from './lab-topology/lab-settings';
import { describeLoadError, loadLocalTopology } from './lab-topology/topology-loading';
import { TopologyService } from './lab-topology/topology-service';
import { LogStore } from './logs/log-store';
import { LocalProvider } from './providers/local-provider';
import { ProviderRegistry } from './providers/provider-registry';
import { SshProvider } from './providers/ssh/ssh-provider';
import { PublicationService } from './publications/publication-service';
import { createDispatcher } from './rpc/dispatch';
import { createHandlers } from './rpc/handlers';
import { SettingsStore } from './settings/settings-store';
import { DirectDialer } from './tunnels/dialer';
import { Reconciler } from './tunnels/reconciler';
import { Emitter } from './util/emitter';

export type { Core, CoreOptions } from './app-core-types';

/**
 * The composition root: builds every service once, wires their changes to contract events,
 * and disposes them in reverse order. Electron's main process and the headless host both
 * call this; neither knows the services behind it.
 */
export function createCore(opts: CoreOptions): Core {
  const logs = new LogStore({ dir: path.join(opts.dataDir, 'logs') });
  const log = logs.logger('core');
  const settings = new SettingsStore(opts.dataDir);
  const providers = new ProviderRegistry([
    new LocalProvider({ settings, log: logs.logger('provider.local') }),
    new SshProvider({ settings, log: logs.logger('provider.ssh') }),
  ]);
  const labSource = new LocalLabSource({ docker: createDockerClient(opts.dockerHost), log: logs.logger('docker') });
  const labs = new LabsService([{ source: labSource, dialer: new DirectDialer() }]);
  const publications = new PublicationService({ settings, providers, log: logs.logger('publications') });
  const reconciler = new Reconciler({ publications, labs, providers, logs });
  const topology = new TopologyService({
    labs,
    publications,
    labSettings: new LabSettingsStore(settings),
    load: loadLocalTopology,
    describe: describeLoadError,
    log: logs.logger('topology'),
  });
  const events = new Emitter<Events>();
  const dispatch = createDispatcher(createHandlers({ labs, publications, providers, reconciler, logs, topology }), log);
  const unsubs: (() => void)[] = [];

  return {
    dispatch,
    events,
    async start() {
      unsubs.push(
        logs.events.on('appended', (batch) => events.emit('logs.appended', batch)),
        labs.onHostsChanged((h) => events.emit('hosts.changed', h)),
        labs.onLabsChanged((l) => events.emit('labs.changed', l)),
        publications.onChanged((p) => events.emit('publications.changed', p)),
        providers.onChanged((p) => events.emit('providers.changed', p)),
        reconciler.onChanged((t) => events.emit('tunnels.changed', t)),
        topology.onChanged((t) => events.emit('topology.changed', t)),
      );
      log.info(`starting; data folder ${opts.dataDir}`);
      await providers.start();
      await publications.start();
      await labs.start();
      reconciler.start();
      await topology.start();
    },
    async dispose() {
      log.info('shutting down: closing tunnels and listeners');
      topology.dispose();
      await reconciler.dispose();
      publications.dispose();
      await labs.dispose();
      await providers.dispose();
      unsubs.forEach((u) => u());
      logs.dispose();
      events.clear();
    },
  };
}
