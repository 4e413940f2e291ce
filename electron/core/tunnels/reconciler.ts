import type { Tunnel } from '../../../shared/model';
import type { LabsService } from '../labs/labs-service';
import type { LogStore } from '../logs/log-store';
import type { PublicationService } from '../publications/publication-service';
import type { ProviderRegistry } from '../providers/provider-registry';
import { Emitter } from '../util/emitter';
import { TunnelRuntime } from './tunnel-runtime';

/** Counter-only changes (bytes, connections) are sent at most this often. */
const COUNTER_EMIT_MS = 250;

/**
 * Owns the tunnels: wanted publications vs running tunnels vs live Docker state. Publication
 * and lab changes (Docker events) drive it; there is no polling loop.
 */
export class Reconciler {
  private readonly runtimes = new Map<string, TunnelRuntime>();
  private readonly emitter = new Emitter<{ changed: Tunnel[] }>();
  private readonly unsubs: (() => void)[] = [];
  private emitQueued = false;
  private counterTimer?: NodeJS.Timeout;
  private disposed = false;

  constructor(private readonly deps: { publications: PublicationService; labs: LabsService; providers: ProviderRegistry; logs: LogStore }) {}

  start(): void {
    this.unsubs.push(this.deps.publications.onChanged(() => this.reconcile()));
    this.unsubs.push(this.deps.labs.onLabsChanged(() => this.reconcile()));
    this.reconcile();
  }

  list(): Tunnel[] {
    return [...this.runtimes.values()].map((r) => r.snapshot());
  }

  onChanged(listener: (tunnels: Tunnel[]) => void): () => void {
    return this.emitter.on('changed', listener);
  }

  /** Brings running tunnels in line with publications and node state. Idempotent. */
  reconcile(): void {
    if (this.disposed) return;
    const wanted = new Map(this.deps.publications.list().map((p) => [p.id, p]));
    const hostDown = new Map(
      this.deps.labs
        .hosts()
        .filter((h) => h.state !== 'connected')
        .map((h) => [h.id, `${h.kind === 'local' ? 'Docker on this computer' : `lab host ${h.label}`} is ${h.state === 'connecting' ? 'not connected yet' : 'unreachable'}`]),
    );
    for (const [id, rt] of this.runtimes) {
      if (wanted.has(id)) continue;
      this.runtimes.delete(id);
      void rt.stop().then(() => this.queueEmit());
    }
    for (const pub of wanted.values()) {
      let rt = this.runtimes.get(pub.id);
      if (!rt) {
        const dialer = this.deps.labs.dialerFor(pub.host);
        if (!dialer) continue; // add() refuses unknown hosts; a host removed from settings keeps its publication dormant
        rt = new TunnelRuntime(pub, {
          provider: this.deps.providers.get(pub.provider),
          dialer,
          log: this.deps.logs.logger(`tunnel`, pub.id),
          changed: (counterOnly) => (counterOnly ? this.queueCounterEmit() : this.queueEmit()),
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
    await Promise.all([...this.runtimes.values()].map((r) => r.stop()));
    this.runtimes.clear();
    this.emitter.clear();
  }

  /** State changes go out on the next tick, coalesced. */
  private queueEmit(): void {
    if (this.emitQueued || this.disposed) return;
    this.emitQueued = true;
    queueMicrotask(() => {
      this.emitQueued = false;
      clearTimeout(this.counterTimer);
      this.counterTimer = undefined;
      this.emitter.emit('changed', this.list());
    });
  }

  private queueCounterEmit(): void {
    if (this.counterTimer || this.disposed) return;
    this.counterTimer = setTimeout(() => {
      this.counterTimer = undefined;
      this.emitter.emit('changed', this.list());
    }, COUNTER_EMIT_MS);
  }
}
