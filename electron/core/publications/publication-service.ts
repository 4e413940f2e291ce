import { randomUUID } from 'node:crypto';
import type { Publication } from '../../../shared/model';
import { socketName } from '../../../shared/publish-defaults';
import { AppError } from '../../../shared/rpc-errors';
import type { LabsService } from '../labs/labs-service';
import type { Logger } from '../logs/logger';
import type { SettingsStore } from '../settings/settings-store';
import { Emitter } from '../util/emitter';
import type { ProviderRegistry } from '../providers/provider-registry';
import { checkPublication, type NewPublication } from './publication-rules';

const KEY = 'publications';

/** Remembered public ports are written at most this often (they come in bursts at start-up). */
const PORT_SAVE_MS = 200;

/** The user's intent: which node ports are published, persisted so a restart re-opens them. */

export class PublicationService {
  private items: Publication[] = [];
  private readonly emitter = new Emitter<{ changed: Publication[] }>();
  /** Open batch() calls; while > 0, saving (and the change event) waits for the last to end. */
  private batching = 0;
  private unsaved = false;
  /** A write of remembered ports is due (see rememberPort). */
  private portsDue?: NodeJS.Timeout;
  /** The publications when the outermost open batch began (its save failing restores them). */
  private beforeBatch: Publication[] | undefined;

  constructor(
    private readonly deps: {
      settings: SettingsStore;
      providers: ProviderRegistry;
      /** Which lab hosts exist: a publication names one. */
      labs: Pick<LabsService, 'hosts'>;
      log: Logger;
    },
  ) {}

  async start(): Promise<void> {
    this.items = this.deps.settings.get<Publication[]>(KEY, []);
    if (this.items.length) this.deps.log.info(`restored ${this.items.length} publication(s) from settings`);
  }

  list(): Publication[] {
    return this.items.map((p) => ({ ...p, access: [...p.access] }));
  }

  onChanged(listener: (items: Publication[]) => void): () => void {
    return this.emitter.on('changed', listener);
  }

  /** Checks the publication against the rules (publication-rules.ts), then saves it. */
  add(params: NewPublication, origin: Publication['origin'] = 'ui', source?: Publication['source']): Publication {
    const checked = checkPublication(params, {
      hosts: this.deps.labs.hosts().map((h) => h.id),
      existing: this.items,
      provider: (id) => this.deps.providers.get(id).info(),
    });
    const pub: Publication = {
      id: randomUUID(),
      host: params.host,
      lab: params.lab,
      node: params.node,
      port: params.port,
      type: params.type,
      provider: params.provider,
      access: checked.access,
      accessKind: checked.accessKind,
      origin,
      publicPort: checked.publicPort,
      createdAt: Date.now(),
    };
    if (source) pub.source = source;
    this.commit([...this.items, pub]);
    this.deps.log.info(`published ${params.lab}/${params.node}:${params.port} as ${socketName(pub.node, pub.type, pub.port)} via ${checked.provider.label}`, { id: pub.id });
    return pub;
  }

  remove(id: string): void {
    const pub = this.items.find((p) => p.id === id);
    if (!pub) throw new AppError('not_found', `no publication with id ${id}`, 'publications.list shows the current ones');
    this.commit(this.items.filter((p) => p.id !== id));
    this.deps.log.info(`unpublished ${pub.lab}/${pub.node}:${pub.port}`, { id });
  }

  get(id: string): Publication {
    const pub = this.items.find((p) => p.id === id);
    if (!pub) throw new AppError('not_found', `no publication with id ${id}`, 'publications.list shows the current ones');
    return { ...pub, access: [...pub.access] };
  }

  /** A UI publication written into the topology file becomes the file's (same tunnel). */
  adoptIntoTopology(id: string, source: NonNullable<Publication['source']>): void {
    this.commit(this.items.map((p) => (p.id === id ? { ...p, origin: 'topology' as const, source } : p)));
  }

  /**
   * Notes the port a provider chose for a publication, so a restart asks for it again. Saved
   * quietly: nothing about what is published changed, so no event (and no reconcile). Called
   * from a tunnel's status: a save that fails (disk full) is a warning, never an exception.
   */
  rememberPort(id: string, port: number): void {
    const pub = this.items.find((p) => p.id === id);
    if (!pub || pub.publicPort || pub.lastPublicPort === port) return;
    this.items = this.items.map((p) => (p === pub ? { ...p, lastPublicPort: port } : p));
    // Tunnels come online one by one, a thousand of them at start-up: one settings write for
    // those that came up together rather than one each. The port is a wish for the next
    // start, so a crash in between only costs the wish; dispose() writes what is due.
    // (Not keeping the process alive for it: a clean exit goes through dispose().)
    this.portsDue ??= setTimeout(() => this.savePorts(), PORT_SAVE_MS).unref();
  }

  /** Writes the remembered ports; from a timer, so a failed write is logged, never thrown. */
  private savePorts(): void {
    clearTimeout(this.portsDue);
    this.portsDue = undefined;
    try {
      this.deps.settings.set(KEY, this.items);
    } catch (err) {
      this.deps.log.warn(`could not save the public ports to reuse at the next start: ${(err as Error).message}`);
    }
  }

  /** Removes several at once (one save, one event), e.g. when a lab is destroyed. */
  removeMany(ids: string[], why: string): void {
    const gone = this.items.filter((p) => ids.includes(p.id));
    if (!gone.length) return;
    this.commit(this.items.filter((p) => !ids.includes(p.id)));
    for (const p of gone) this.deps.log.info(`unpublished ${p.lab}/${p.node}:${p.port}: ${why}`, { id: p.id });
  }

  /**
   * Runs `fn` (adds, removes, moves) with one save and one change event at the end, however
   * many it made: a topology file with hundreds of entries is one settings write and one
   * reconcile, not hundreds. Nested calls join the outer batch. When the one save fails (disk
   * full), the whole batch is undone and the save's error thrown.
   */
  batch<T>(fn: () => T): T {
    if (this.batching === 0) this.beforeBatch = this.items;
    this.batching++;
    try {
      return fn();
    } finally {
      if (--this.batching === 0 && this.unsaved) {
        this.unsaved = false;
        const before = this.beforeBatch;
        this.beforeBatch = undefined;
        const next = this.items;
        this.items = before ?? next;
        this.commit(next);
      }
    }
  }

  dispose(): void {
    if (this.portsDue) this.savePorts();
    this.emitter.clear();
  }

  /**
   * The publications become `next`: saved first, then in memory, then announced. A save that
   * fails throws ("disk full: ...") and nothing changed. In a batch, saving waits for its end.
   */
  private commit(next: Publication[]): void {
    if (this.batching > 0) {
      this.items = next;
      this.unsaved = true;
      return;
    }
    this.deps.settings.set(KEY, next);
    this.items = next;
    // That write held the remembered ports too.
    clearTimeout(this.portsDue);
    this.portsDue = undefined;
    this.emitter.emit('changed', this.list());
  }
}
