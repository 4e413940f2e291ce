import type { Duplex } from 'node:stream';
import type { LabNode, Publication, Tunnel, TunnelEndpoint, TunnelState } from '../../../shared/model';
import { socketName } from '../../../shared/publish-defaults';
import type { Logger } from '../logs/logger';
import type { Forward, ForwardStatus, TunnelProvider } from '../providers/provider';
import type { Dialer } from './dialer';
import { pipeConnection } from './connection-pipe';

/**
 * What runs for one publication: the provider's forward plus the node it leads to. The public
 * state is derived from both: a forward that is up while the node is stopped is
 * `waiting-for-node`; the listener/forward stays open meanwhile so the public port is kept.
 */
export class TunnelRuntime {
  private forward?: Forward;
  private provider: ForwardStatus = { state: 'connecting' };
  private target?: { host: string; port: number };
  private nodeReason = 'node not found in Docker yet';
  private endpoint?: TunnelEndpoint;
  private readonly counters = { open: 0, total: 0, bytesIn: 0, bytesOut: 0 };
  private readonly active = new Set<Duplex>();
  private lastError?: string;
  private since = Date.now();
  private lastState: TunnelState = 'pending';
  private stopped = false;

  constructor(
    private publication: Publication,
    private readonly deps: { provider: TunnelProvider; dialer: Dialer; log: Logger; changed: (counterOnly: boolean) => void },
  ) {}

  get id(): string {
    return this.publication.id;
  }

  start(): void {
    const p = this.publication;
    this.deps.log.info(`opening ${socketName(p.node, p.type, p.port)} via ${p.provider}`, { lab: p.lab, node: p.node, port: p.port });
    this.forward = this.deps.provider.open(
      { tunnelId: p.id, name: socketName(p.node, p.type, p.port), lab: p.lab, node: p.node, port: p.port, type: p.type, access: p.access, accessKind: p.accessKind, publicPort: p.publicPort },
      { onConnection: (sock, from) => this.accept(sock, from), onStatus: (s) => this.onProviderStatus(s) },
    );
  }

  /** Where the publication comes from can change (saved into the file) without a new tunnel. */
  updateOrigin(pub: Publication): void {
    if (pub.origin === this.publication.origin && pub.source?.line === this.publication.source?.line && pub.source?.text === this.publication.source?.text) return;
    this.publication = { ...this.publication, origin: pub.origin, source: pub.source };
    this.deps.changed(false);
  }

  /** Points the tunnel at the node's current address, or parks it while the node is away. */
  setNode(node: LabNode | undefined): void {
    const addr = node?.state === 'running' ? (node.ipv4 ?? node.ipv6) : undefined;
    const next = addr ? { host: addr, port: this.publication.port } : undefined;
    if (next?.host === this.target?.host && !!next === !!this.target) return;
    const prev = this.target;
    this.target = next;
    if (!node) this.nodeReason = `node ${this.publication.node} of lab ${this.publication.lab} is not running (no container)`;
    else if (node.state !== 'running') this.nodeReason = `node ${node.name} is ${node.state}`;
    else if (!addr) this.nodeReason = `node ${node.name} has no management address`;
    if (prev && next) this.deps.log.info(`node ${node!.name} moved: ${prev.host} → ${next.host}; tunnel re-targeted`);
    else if (next) this.deps.log.info(`node ${node!.name} is reachable at ${next.host}:${next.port}`);
    else this.deps.log.warn(`waiting for node: ${this.nodeReason}`);
    this.update();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.active) s.destroy();
    await this.forward?.close();
    this.update();
  }

  snapshot(): Tunnel {
    const p = this.publication;
    const { state, reason } = this.derive();
    return {
      id: p.id,
      publicationId: p.id,
      name: socketName(p.node, p.type, p.port),
      host: p.host,
      lab: p.lab,
      node: p.node,
      port: p.port,
      type: p.type,
      provider: p.provider,
      access: p.access,
      state,
      reason,
      endpoint: this.endpoint,
      target: this.target,
      counters: { ...this.counters },
      origin: p.origin,
      source: p.source,
      lastError: this.lastError,
      nextRetryAt: this.provider.state === 'reconnecting' ? this.provider.nextRetryAt : undefined,
      since: this.since,
    };
  }

  private derive(): { state: TunnelState; reason?: string } {
    if (this.stopped) return { state: 'stopped', reason: 'unpublished' };
    const s = this.provider;
    if (s.state === 'online') return this.target ? { state: 'online' } : { state: 'waiting-for-node', reason: this.nodeReason };
    if (s.state === 'connecting') return { state: 'connecting', reason: s.reason };
    return { state: s.state, reason: s.reason };
  }

  private onProviderStatus(s: ForwardStatus): void {
    this.provider = s;
    if (s.state === 'online') this.endpoint = s.endpoint;
    if (s.state === 'failed' || s.state === 'reconnecting') {
      this.lastError = s.reason;
      this.deps.log.log(s.state === 'failed' ? 'error' : 'warn', `${s.state}: ${s.reason}`);
    } else if (s.state === 'online') {
      this.deps.log.info(`public endpoint ${s.endpoint.host}:${s.endpoint.port}`);
    }
    this.update();
  }

  private update(): void {
    const { state } = this.derive();
    if (state !== this.lastState) {
      this.lastState = state;
      this.since = Date.now();
    }
    this.deps.changed(false);
  }

  private accept(sock: Duplex, from: string): void {
    const target = this.target;
    if (!target || this.stopped) {
      this.deps.log.warn(`connection from ${from} closed: ${this.stopped ? 'unpublished' : this.nodeReason}`);
      sock.destroy();
      return;
    }
    this.active.add(sock);
    this.counters.open++;
    this.counters.total++;
    const started = Date.now();
    this.deps.changed(true);
    const closed = (stats: { bytesIn: number; bytesOut: number }, err?: Error) => {
      this.active.delete(sock);
      this.counters.open--;
      if (err) this.lastError = `connection from ${from}: ${err.message}`;
      this.deps.log.info(`connection from ${from} closed`, { bytesIn: stats.bytesIn, bytesOut: stats.bytesOut, ms: Date.now() - started, error: err?.message ?? null });
      this.deps.changed(true);
    };
    this.deps.dialer.dial(target.host, target.port).then(
      (upstream) => {
        this.active.add(upstream);
        upstream.once('close', () => this.active.delete(upstream));
        pipeConnection(sock, upstream, (dir, n) => {
          if (dir === 'in') this.counters.bytesIn += n;
          else this.counters.bytesOut += n;
          this.deps.changed(true);
        }, closed);
      },
      (err: Error) => {
        sock.destroy();
        this.lastError = `node ${this.publication.node} refused ${target.host}:${target.port}: ${err.message}`;
        this.deps.log.error(this.lastError, { from });
        closed({ bytesIn: 0, bytesOut: 0 });
      },
    );
  }
}
