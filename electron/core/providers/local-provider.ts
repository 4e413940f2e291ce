import net from 'node:net';
import type { ProviderInfo } from '../../../shared/model';
import { PROVIDER_CAPABILITIES } from '../../../shared/provider-capabilities';
import type { Logger } from '../logs/logger';
import type { SettingsStore } from '../settings/settings-store';
import { Emitter } from '../util/emitter';
import { openLocalUdp } from './local-udp';
import { DEFAULT_UDP_IDLE_SECONDS, type Forward, type ForwardHandlers, type ForwardSpec, type TunnelProvider } from './provider';

interface LocalSettings {
  bindAddress: string;
  /** UDP: seconds a peer may stay silent before its upstream socket is closed. */
  udpIdleSeconds?: number;
}

const SETTINGS_KEY = 'providers.local';

/**
 * Listens on an address of this computer (127.0.0.1 unless the user opens it up) and hands
 * each connection to the tunnel. Zero set-up, so it is the default provider.
 */
export class LocalProvider implements TunnelProvider {
  readonly id = 'local';
  private readonly changed = new Emitter<{ changed: void }>();
  private settings: LocalSettings = { bindAddress: '127.0.0.1' };
  private readonly servers = new Set<net.Server>();
  private readonly udp = new Set<() => Promise<void>>();

  constructor(private readonly deps: { settings: SettingsStore; log: Logger }) {}

  async start(): Promise<void> {
    this.settings = this.deps.settings.get<LocalSettings>(SETTINGS_KEY, this.settings);
  }

  info(): ProviderInfo {
    return {
      id: this.id,
      kind: 'local',
      label: 'This computer',
      configured: true,
      capabilities: PROVIDER_CAPABILITIES.local,
      settings: { bindAddress: this.settings.bindAddress, udpIdleSeconds: this.udpIdleSeconds },
      connection: { state: 'connected' },
    };
  }

  private get udpIdleSeconds(): number {
    return this.settings.udpIdleSeconds ?? DEFAULT_UDP_IDLE_SECONDS;
  }

  onChanged(listener: () => void): () => void {
    return this.changed.on('changed', listener);
  }

  async configure(settings: Record<string, unknown>): Promise<void> {
    const idle = settings.udpIdleSeconds ?? this.settings.udpIdleSeconds;
    const next = { bindAddress: String(settings.bindAddress), ...(typeof idle === 'number' ? { udpIdleSeconds: idle } : {}) };
    this.deps.settings.set(SETTINGS_KEY, next); // throws ("disk full: ...") with nothing changed
    this.settings = next;
    this.deps.log.info(`local listeners will bind to ${this.settings.bindAddress}, UDP peers idle out after ${this.udpIdleSeconds} s (applies to new publications)`);
    this.changed.emit('changed', undefined);
  }

  open(spec: ForwardSpec, handlers: ForwardHandlers): Forward {
    const host = this.settings.bindAddress;
    if (spec.type === 'udp') {
      return openLocalUdp(spec, handlers, {
        host,
        idleMs: this.udpIdleSeconds * 1000,
        log: this.deps.log,
        opened: (close) => (this.udp.add(close), () => this.udp.delete(close)),
      });
    }
    // A port it had before is a wish, not a demand: when taken, any free port will do.
    const preferred = spec.publicPort ? undefined : spec.preferredPort;
    // allowHalfOpen: a client that finishes sending must still receive the node's answer.
    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (sock) => {
      handlers.onConnection(sock, `${sock.remoteAddress}:${sock.remotePort}`);
    });
    this.servers.add(server);
    handlers.onStatus({ state: 'connecting', reason: `opening a listener on ${host}` });
    const onError = (err: NodeJS.ErrnoException) => {
      if (preferred && err.code === 'EADDRINUSE' && !closed) {
        this.deps.log.warn(`the port it had before (${host}:${preferred}) is taken now: listening on a free port instead, so its address changes`, { tunnel: spec.tunnelId });
        server.once('error', (e: NodeJS.ErrnoException) => fail(e, 0));
        server.listen({ host, port: 0 });
        return;
      }
      fail(err, spec.publicPort ?? 0);
    };
    const fail = (err: NodeJS.ErrnoException, port: number) => {
      this.servers.delete(server);
      const where = `${host}:${port}`;
      const reason =
        err.code === 'EADDRINUSE'
          ? `port ${where} is already in use on this computer: choose another public port, or leave it empty to get a free one`
          : err.code === 'EADDRNOTAVAIL'
            ? `${host} is not an address of this computer: change the bind address in Providers`
            : err.code === 'EACCES'
              ? `not allowed to listen on ${where} (ports below 1024 need privileges): choose a port above 1023`
              : `cannot listen on ${where}: ${err.message}`;
      handlers.onStatus({ state: 'failed', reason });
    };
    let closed = false;
    server.once('error', onError);
    server.once('listening', () => {
      const addr = server.address() as net.AddressInfo;
      handlers.onStatus({ state: 'online', endpoint: { host, port: addr.port } });
    });
    server.listen({ host, port: spec.publicPort || preferred || 0 });
    return {
      close: () =>
        new Promise<void>((resolve) => {
          closed = true;
          this.servers.delete(server);
          if (!server.listening) return resolve();
          server.close(() => resolve());
        }),
    };
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.servers].map((s) => new Promise<void>((r) => s.close(() => r()))));
    await Promise.all([...this.udp].map((close) => close()));
    this.servers.clear();
    this.changed.clear();
  }
}
