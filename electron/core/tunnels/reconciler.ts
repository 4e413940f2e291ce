import type { Publication, Tunnel } from '../../../shared/model';
import type { LabsService } from '../labs/labs-service';
import type { LogStore } from '../logs/log-store';
import type { PublicationService } from '../publications/publication-service';
import type { ProviderRegistry } from '../providers/provider-registry';
import { Emitter } from '../util/emitter';
import type { ConnectionGate } from './connection-gate';
import { hostGoneReason, parkedTunnel } from './parked-tunnel';
import { SnapshotStamps } from './snapshot-stamps';
import { TunnelRuntime } from './tunnel-runtime';

/** Counter-only changes (bytes, connections, probe figures) are sent at most this often. */
const COUNTER_EMIT_MS = 250;

/**
 * Owns the tunnels: wanted publications vs running tunnels vs live Docker state. Publication
 * and lab changes (Docker events) drive it; there is no polling loop.
 */
export class Reconciler {
  private readonly runtimes = new Map<string, TunnelRuntime>();
  /** Publications whose lab host is not configured: shown stopped, nothing listens. */
  private readonly parked = new Map<string, Tunnel>();
  /** Parked ones held closed by the gate (their share ended), rather than for a missing host. */
  private readonly held = new Set<string>();
  /** Host labels seen so far, to name a host in messages after it was removed. */
  private readonly hostLabels = new Map<string, string>();
  private readonly emitter = new Emitter<{ changed: Tunnel[]; updated: Tunnel[] }>();
  /** Tunnels whose counters moved since the last emit (sent by `updated`, not as a whole list). */
  private readonly moved = new Set<string>();
  /** Every snapshot that leaves carries its tunnel's `seq`. */
  private readonly stamps = new SnapshotStamps();
  private readonly unsubs: (() => void)[] = [];
  private emitQueued = false;
  private counterTimer?: NodeJS.Timeout;
  private disposed = false;

  constructor(
    private readonly deps: {
      publications: PublicationService;
      labs: LabsService;
      providers: ProviderRegistry;
      logs: LogStore;
      /** Holds publications closed and admits connections (the shares); absent: all run, all pass. */
      gate?: ConnectionGate;
    },
  ) {}

  start(): void {
    this.unsubs.push(this.deps.publications.onChanged(() => this.reconcile()));
    this.unsubs.push(this.deps.labs.onLabsChanged(() => this.reconcile()));
    if (this.deps.gate) this.unsubs.push(this.deps.gate.onChanged(() => this.reconcile()));
    this.reconcile();
  }

  list(): Tunnel[] {
    return [...[...this.runtimes.values()].map((r) => this.stamps.stamp(r.snapshot())), ...this.parked.values()];
  }

  /** The whole list, when a tunnel comes, goes or changes state, endpoint or origin. */
  onChanged(listener: (tunnels: Tunnel[]) => void): () => void {
    return this.emitter.on('changed', listener);
  }

  /** Only the tunnels whose counters, throughput or probe figures moved (at most every 250 ms). */
  onUpdated(listener: (tunnels: Tunnel[]) => void): () => void {
    return this.emitter.on('updated', listener);
  }

  /** Brings running tunnels in line with publications and node state. Idempotent. */
  reconcile(): void {
    if (this.disposed) return;
    const wanted = new Map(this.deps.publications.list().map((p) => [p.id, p]));
    const hosts = this.deps.labs.hosts();
    for (const h of hosts) this.hostLabels.set(h.id, h.label);
    const hostDown = new Map(
      hosts
        .filter((h) => h.state !== 'connected')
        .map((h) => [h.id, `${h.kind === 'local' ? 'Docker on this computer' : `lab host ${h.label}`} is ${h.state === 'connecting' ? 'not connected yet' : 'unreachable'}`]),
    );
    for (const [id, rt] of this.runtimes) {
      if (wanted.has(id)) continue;
      this.runtimes.delete(id);
      this.stamps.forget(id);
      void rt.stop().then(() => this.queueEmit());
    }
    for (const id of this.parked.keys()) {
      if (wanted.has(id)) continue;
      this.parked.delete(id);
      this.stamps.forget(id);
    }
    for (const id of this.held) if (!wanted.has(id)) this.held.delete(id);
    for (const pub of wanted.values()) {
      const dialer = this.deps.labs.dialerFor(pub.host);
      let rt = this.runtimes.get(pub.id);
      const held = this.deps.gate?.hold(pub);
      if (held) {
        // Its share ended: closed like a removed host's, and it stays so until the share reopens.
        const parked = this.parked.get(pub.id);
        if (!rt && parked?.reason !== held) this.deps.logs.logger('tunnel', pub.id).info(`kept closed: ${held}`, { held: true });
        if (rt || parked?.reason !== held) this.park(pub, rt, held);
        this.held.add(pub.id);
        continue;
      }
      const wasHeld = this.held.delete(pub.id);
      if (!dialer) {
        // add() refuses unknown hosts, so this is a host removed from settings: its tunnels
        // close (nothing can reach the nodes any more) and the publication waits for it.
        if (rt || wasHeld || !this.parked.has(pub.id)) this.park(pub, rt);
        continue;
      }
      this.parked.delete(pub.id);
      if (!rt) {
        rt = new TunnelRuntime(pub, {
          provider: this.deps.providers.get(pub.provider),
          dialer,
          log: this.deps.logs.logger(`tunnel`, pub.id),
          changed: (counterOnly) => {
            this.stamps.touch(pub.id);
            if (counterOnly) this.queueCounterEmit(pub.id);
            else this.queueEmit();
          },
          portChosen: (port) => this.deps.publications.rememberPort(pub.id, port),
          admit: this.deps.gate && ((p, from) => this.deps.gate!.admit(p, from)),
        });
        this.runtimes.set(pub.id, rt);
        rt.setNode(this.deps.labs.findNode(pub.host, pub.lab, pub.node), hostDown.get(pub.host));
        rt.start();
      } else {
        rt.updateOrigin(pub);
        rt.setNode(this.deps.labs.findNode(pub.host, pub.lab, pub.node), hostDown.get(pub.host));
      }
    }
    this.queueEmit();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.unsubs.forEach((u) => u());
    clearTimeout(this.counterTimer);
    this.moved.clear();
    await Promise.all([...this.runtimes.values()].map((r) => r.stop()));
    this.runtimes.clear();
    this.parked.clear();
    this.held.clear();
    this.emitter.clear();
  }

  private park(pub: Publication, rt: TunnelRuntime | undefined, why?: string): void {
    const reason = why ?? hostGoneReason(this.hostLabels.get(pub.host) ?? pub.host, !!rt);
    if (rt) {
      this.runtimes.delete(pub.id);
      void rt.stop(reason).then(() => this.queueEmit());
    }
    this.stamps.touch(pub.id);
    this.parked.set(pub.id, this.stamps.stamp(parkedTunnel(pub, reason, rt?.snapshot() ?? this.parked.get(pub.id))));
  }

  /**
   * State changes go out once the current I/O callbacks have run (setImmediate), coalesced:
   * a thousand tunnels whose probes answer in the same poll are one list, not a thousand. The
   * list carries every counter too, so counter moves waiting to go out are sent with it.
   */
  private queueEmit(): void {
    if (this.emitQueued || this.disposed) return;
    this.emitQueued = true;
    setImmediate(() => {
      if (this.disposed) return;
      this.emitQueued = false;
      clearTimeout(this.counterTimer);
      this.counterTimer = undefined;
      this.moved.clear();
      this.emitter.emit('changed', this.list());
    });
  }

  /**
   * Counter moves go out at most every COUNTER_EMIT_MS, and only for the tunnels that moved:
   * the whole list of 1,000 tunnels four times a second would be most of what the UI spends
   * its time on (parsing it), for the few dozen rows that changed.
   */
  private queueCounterEmit(id: string): void {
    if (this.disposed) return;
    this.moved.add(id);
    if (this.counterTimer) return;
    this.counterTimer = setTimeout(() => {
      this.counterTimer = undefined;
      const moved = [...this.moved].flatMap((m) => {
        const rt = this.runtimes.get(m);
        return rt ? [this.stamps.stamp(rt.snapshot())] : [];
      });
      this.moved.clear();
      if (moved.length) this.emitter.emit('updated', moved);
    }, COUNTER_EMIT_MS);
  }
}
