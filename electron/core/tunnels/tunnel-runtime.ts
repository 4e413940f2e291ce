import type { Duplex } from 'node:stream';
import type { LabNode, LogLevel, Publication, Tunnel, TunnelEndpoint, TunnelState } from '../../../shared/model';
import { socketName } from '../../../shared/publish-defaults';
import { tunnelOf } from '../../../shared/tunnel-of';
import type { Logger } from '../logs/logger';
import type { DatagramReply, Forward, ForwardStatus, TunnelProvider } from '../providers/provider';
import type { Dialer } from '../labs/dialer';
import type { GateDecision } from './connection-gate';
import { DatagramFlows } from './datagram-flows';
import { ForwardedConnections } from './forwarded-connections';
import { HealthMonitor, type HealthOptions } from './tunnel-health';
import { udpRequestFor } from './udp-probe';

export interface TunnelRuntimeDeps {
  provider: TunnelProvider;
  dialer: Dialer;
  log: Logger;
  /** `counterOnly`: only counters, throughput or probe figures moved (sent coalesced). */
  changed: (counterOnly: boolean) => void;
  /** Probe timing; tests shorten it. */
  health?: HealthOptions;
  /** Clock for the throughput buckets; tests inject one. */
  now?: () => number;
  /** The provider chose a public port: remember it for the next start. */
  portChosen?: (port: number) => void;
  /** Lets each public connection through or refuses it, before the node is dialled (shares). */
  admit?: (pub: Publication, from: string) => GateDecision;
}

const STATE_LEVEL: Record<TunnelState, LogLevel> = {
  pending: 'info',
  connecting: 'info',
  online: 'info',
  degraded: 'warn',
  'waiting-for-node': 'warn',
  reconnecting: 'warn',
  failed: 'error',
  stopped: 'info',
};

/**
 * What runs for one publication: the provider's forward plus the node it leads to. The public
 * state is derived from both: a forward that is up while the node is stopped is
 * `waiting-for-node`, one whose node does not accept on the port is `degraded`; the
 * listener/forward stays open meanwhile so the public port is kept.
 */
export class TunnelRuntime {
  private forward?: Forward;
  private provider: ForwardStatus = { state: 'connecting' };
  private target?: { host: string; port: number };
  private nodeReason = 'node not found in Docker yet';
  private endpoint?: TunnelEndpoint;
  private readonly conns: ForwardedConnections;
  /** UDP publications: the peers and their upstream sockets (datagrams never use `conns`). */
  private readonly flows?: DatagramFlows;
  private readonly health: HealthMonitor;
  private lastError?: string;
  private since = Date.now();
  private last: { state: TunnelState; reason?: string } = { state: 'pending' };
  private stopped = false;
  private stopReason = 'unpublished';

  constructor(
    private publication: Publication,
    private readonly deps: TunnelRuntimeDeps,
  ) {
    const node = publication.node;
    const forwarding = {
      dialer: deps.dialer,
      log: deps.log,
      node,
      now: deps.now,
      counted: () => deps.changed(true),
      failed: (message: string, nodeDown: boolean) => {
        this.lastError = message;
        if (nodeDown) this.health.probeSoon(); // degrade now rather than at the next round
      },
    };
    this.conns = new ForwardedConnections(forwarding);
    // Datagrams report as connections do: the same counting, the same degrade-now on a refusal.
    if (publication.type === 'udp') this.flows = new DatagramFlows(forwarding);
    this.health = new HealthMonitor(
      {
        dialer: deps.dialer,
        node,
        log: deps.log,
        changed: (relevant) => (relevant ? this.update() : deps.changed(true)),
        udp: this.flows && { request: udpRequestFor(publication.port) },
      },
      deps.health,
    );
  }

  get id(): string {
    return this.publication.id;
  }

  start(): void {
    const p = this.publication;
    this.deps.log.info(`opening ${socketName(p.node, p.type, p.port)} via ${p.provider}`, { lab: p.lab, node: p.node, port: p.port });
    this.forward = this.deps.provider.open(
      { tunnelId: p.id, name: socketName(p.node, p.type, p.port), host: p.host, lab: p.lab, node: p.node, port: p.port, type: p.type, access: p.access, accessKind: p.accessKind, publicPort: p.publicPort, preferredPort: p.lastPublicPort },
      {
        onConnection: (sock, from) => this.accept(sock, from),
        onDatagram: (from, data, reply) => this.acceptDatagram(from, data, reply),
        onStatus: (s) => this.onProviderStatus(s),
        onHealth: (h) => {
          if (!this.stopped) this.health.setRtt(h.rttMs);
        },
      },
    );
    if (this.flows && this.forward.peerIdleMs) this.flows.idleMs = this.forward.peerIdleMs;
  }

  /** Where the publication comes from can change (saved into the file) without a new tunnel. */
  updateOrigin(pub: Publication): void {
    if (pub.origin === this.publication.origin && pub.source?.line === this.publication.source?.line && pub.source?.text === this.publication.source?.text) return;
    this.publication = { ...this.publication, origin: pub.origin, source: pub.source };
    this.deps.changed(false);
  }

  /** Points the tunnel at the node's current address, or parks it while the node is away. */
  setNode(node: LabNode | undefined, hostDown?: string): void {
    const addr = node?.state === 'running' ? (node.ipv4 ?? node.ipv6) : undefined;
    const next = addr ? { host: addr, port: this.publication.port } : undefined;
    // While the lab host itself cannot be asked, say so rather than blaming the node.
    const reason = hostDown
      ? `${hostDown}: the state of node ${this.publication.node} is unknown until it answers`
      : !node
        ? `node ${this.publication.node} of lab ${this.publication.lab} is not running (no container)`
        : node.state !== 'running'
          ? `node ${node.name} is ${node.state}`
          : !addr
            ? `node ${node.name} has no management address`
            : this.nodeReason;
    if (next?.host === this.target?.host && !!next === !!this.target && reason === this.nodeReason) return;
    const prev = this.target;
    this.target = next;
    this.nodeReason = reason;
    // Each UDP peer's socket is connected to the old address: the next datagram opens a new one.
    if (prev && prev.host !== next?.host) this.flows?.closeAll(next ? 'moved to the new address of the node' : 'closed: the node went away');
    if (prev && next) this.deps.log.info(`node ${node!.name} moved: ${prev.host} → ${next.host}; tunnel re-targeted`);
    else if (next) this.deps.log.info(`node ${node!.name} is reachable at ${next.host}:${next.port}`);
    else this.deps.log.info(`${this.nodeReason}: nothing to forward to until it runs`);
    if (!this.stopped) this.health.setTarget(next);
    this.update();
  }

  /** Closes the forward and every connection; `reason` is logged (default: unpublished). */
  async stop(reason = 'unpublished'): Promise<void> {
    this.stopped = true;
    this.stopReason = reason;
    this.conns.closeAll();
    this.flows?.closeAll(`closed: ${reason}`);
    await Promise.all([this.health.stop(), this.forward?.close()]);
    this.update();
  }

  snapshot(): Tunnel {
    const { state, reason } = this.derive();
    return tunnelOf(this.publication, state, {
      reason,
      endpoint: this.endpoint,
      target: this.target,
      counters: { ...(this.flows ?? this.conns).counters },
      health: this.health.snapshot(),
      throughput: (this.flows ?? this.conns).throughput.snapshot(),
      lastError: this.lastError,
      nextRetryAt: this.provider.state === 'reconnecting' ? this.provider.nextRetryAt : undefined,
      since: this.since,
    });
  }

  private derive(): { state: TunnelState; reason?: string } {
    if (this.stopped) return { state: 'stopped', reason: this.stopReason };
    const s = this.provider;
    if (s.state === 'online') {
      if (!this.target) return { state: 'waiting-for-node', reason: this.nodeReason };
      const up = this.health.upstream;
      return up && !up.ok ? { state: 'degraded', reason: up.error } : { state: 'online' };
    }
    if (s.state === 'connecting') return { state: 'connecting', reason: s.reason };
    return { state: s.state, reason: s.reason };
  }

  private onProviderStatus(s: ForwardStatus): void {
    if (this.stopped) return;
    this.provider = s;
    if (s.state === 'online') {
      this.endpoint = s.endpoint;
      if (!this.publication.publicPort && s.endpoint.port !== this.publication.lastPublicPort) {
        this.publication = { ...this.publication, lastPublicPort: s.endpoint.port };
        this.deps.portChosen?.(s.endpoint.port);
      }
      this.deps.log.info(`public endpoint ${s.endpoint.host}:${s.endpoint.port}`);
    } else {
      // The link is down: its last round trip and the endpoint's reachability are stale.
      this.health.setRtt(undefined);
      if (s.state === 'failed' || s.state === 'reconnecting') this.lastError = s.reason;
    }
    this.health.setEndpoint(s.state === 'online' ? s.endpoint : undefined);
    this.update();
  }

  /** Logs each change of state or reason once, then tells the reconciler. */
  private update(): void {
    const now = this.derive();
    if (now.state !== this.last.state || now.reason !== this.last.reason) {
      const from = this.last.state;
      if (now.state !== from) this.since = Date.now();
      this.last = now;
      const msg = `tunnel ${from === now.state ? 'still ' : ''}${now.state}${now.reason ? `: ${now.reason}` : ''}`;
      this.deps.log.log(STATE_LEVEL[now.state], msg, { state: now.state, previous: from, reason: now.reason ?? null });
    }
    this.deps.changed(false);
  }

  private accept(sock: Duplex, from: string): void {
    const own = this.health.isOwnProbe(from);
    if (own === false) return this.forwardConnection(sock, from);
    if (own === true) return this.dropProbe(sock, from);
    sock.on('error', () => sock.destroy()); // while waiting for the answer: a reset must not throw
    void own.then((isOwn) => (isOwn ? this.dropProbe(sock, from) : this.forwardConnection(sock, from)));
  }

  /** Our own end-to-end probe came back through the tunnel: that is all it had to do. */
  private dropProbe(sock: Duplex, from: string): void {
    this.deps.log.debug(`end-to-end probe from ${from} came back through the tunnel`);
    sock.destroy();
  }

  private forwardConnection(sock: Duplex, from: string): void {
    const decision = this.admit(from);
    if (!decision.allowed) {
      // Closed at once, before anything is dialled: not a byte reaches the node.
      this.deps.log.warn(`connection from ${from} refused: ${decision.reason}`, { from, refused: true });
      sock.destroy();
      return;
    }
    const target = this.target;
    if (!target || this.stopped) {
      const why = this.stopped ? this.stopReason : this.nodeReason;
      this.deps.log.warn(`connection from ${from} closed: ${why}`);
      sock.destroy();
      decision.watch?.closed({ bytesIn: 0, bytesOut: 0 }, why);
      return;
    }
    this.conns.handle(sock, from, target, decision.watch);
  }

  /** One datagram from a public peer of a UDP publication. */
  private acceptDatagram(from: string, data: Buffer, reply: DatagramReply): void {
    const flows = this.flows;
    if (!flows || this.stopped) return;
    const target = this.target;
    if (!target) return flows.dropNoNode(from, this.nodeReason);
    flows.handle(from, data, reply, target, (f) => this.admit(f), this.health.isOwnUdpProbe(from));
  }

  /** The gate's verdict; a gate that fails refuses rather than letting the connection through. */
  private admit(from: string): GateDecision {
    if (!this.deps.admit) return { allowed: true };
    try {
      return this.deps.admit(this.publication, from);
    } catch (err) {
      return { allowed: false, reason: `the access check failed (${(err as Error).message})` };
    }
  }
}
