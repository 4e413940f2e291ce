import { randomUUID } from 'node:crypto';
import type { ParamsOut } from '../../../shared/contract';
import type { Publication } from '../../../shared/model';
import { socketName } from '../../../shared/publish-defaults';
import { AppError } from '../../../shared/rpc-errors';
import type { Logger } from '../logs/logger';
import type { SettingsStore } from '../settings/settings-store';
import { Emitter } from '../util/emitter';
import type { ProviderRegistry } from '../providers/provider-registry';

const KEY = 'publications';

/** The user's intent: which node ports are published, persisted so a restart re-opens them. */
export class PublicationService {
  private items: Publication[] = [];
  private readonly emitter = new Emitter<{ changed: Publication[] }>();
  /** Open batch() calls; while > 0, saving (and the change event) waits for the last to end. */
  private batching = 0;
  private unsaved = false;

  constructor(private readonly deps: { settings: SettingsStore; providers: ProviderRegistry; log: Logger }) {}

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

  add(params: ParamsOut<'publications.add'>, origin: Publication['origin'] = 'ui', source?: Publication['source']): Publication {
    const existing = this.items.find((p) => p.host === params.host && p.lab === params.lab && p.node === params.node && p.port === params.port);
    if (existing) {
      throw new AppError(
        'conflict',
        `${params.lab}/${params.node} port ${params.port} is already published as ${socketName(existing.node, existing.type, existing.port)} (id ${existing.id}, via ${existing.provider})`,
        'unpublish it first to publish it again with other settings',
      );
    }
    const provider = this.deps.providers.get(params.provider);
    const info = provider.info();
    if (!info.capabilities.types.includes(params.type)) {
      throw new AppError('invalid_params', `provider ${info.label} cannot publish type ${params.type}`, `choose one of: ${info.capabilities.types.join(', ')}`, 'type');
    }
    const access = params.access.map((a) => a.trim()).filter(Boolean);
    if (access.length && !info.capabilities.accessControl) {
      // Never publish open what the user asked to restrict.
      throw new AppError(
        'refused',
        `provider ${info.label} cannot enforce an access list, and publishing it open instead is not allowed`,
        'leave the access list empty, or use a provider with access control (border0)',
        'access',
      );
    }
    if (params.publicPort && !info.capabilities.choosePort) {
      throw new AppError('invalid_params', `provider ${info.label} chooses public ports itself`, 'leave the public port empty', 'publicPort');
    }
    const pub: Publication = {
      id: randomUUID(),
      host: params.host,
      lab: params.lab,
      node: params.node,
      port: params.port,
      type: params.type,
      provider: params.provider,
      access,
      accessKind: access.length ? (params.accessKind ?? 'emails-domains') : undefined,
      origin,
      publicPort: params.publicPort || undefined,
      createdAt: Date.now(),
    };
    if (source) pub.source = source;
    this.items = [...this.items, pub];
    this.save();
    this.deps.log.info(`published ${params.lab}/${params.node}:${params.port} as ${socketName(pub.node, pub.type, pub.port)} via ${info.label}`, { id: pub.id });
    return pub;
  }

  remove(id: string): void {
    const pub = this.items.find((p) => p.id === id);
    if (!pub) throw new AppError('not_found', `no publication with id ${id}`, 'publications.list shows the current ones');
    this.items = this.items.filter((p) => p.id !== id);
    this.save();
    this.deps.log.info(`unpublished ${pub.lab}/${pub.node}:${pub.port}`, { id });
  }

  get(id: string): Publication {
    const pub = this.items.find((p) => p.id === id);
    if (!pub) throw new AppError('not_found', `no publication with id ${id}`, 'publications.list shows the current ones');
    return { ...pub, access: [...pub.access] };
  }

  /** A UI publication written into the topology file becomes the file's (same tunnel). */
  adoptIntoTopology(id: string, source: NonNullable<Publication['source']>): void {
    this.items = this.items.map((p) => (p.id === id ? { ...p, origin: 'topology' as const, source } : p));
    this.save();
  }

  /**
   * Notes the port a provider chose for a publication, so a restart asks for it again. Saved
   * quietly: nothing about what is published changed, so no event (and no reconcile).
   */
  rememberPort(id: string, port: number): void {
    const pub = this.items.find((p) => p.id === id);
    if (!pub || pub.publicPort || pub.lastPublicPort === port) return;
    this.items = this.items.map((p) => (p === pub ? { ...p, lastPublicPort: port } : p));
    this.deps.settings.set(KEY, this.items);
  }

  /** Removes several at once (one save, one event), e.g. when a lab is destroyed. */
  removeMany(ids: string[], why: string): void {
    const gone = this.items.filter((p) => ids.includes(p.id));
    if (!gone.length) return;
    this.items = this.items.filter((p) => !ids.includes(p.id));
    this.save();
    for (const p of gone) this.deps.log.info(`unpublished ${p.lab}/${p.node}:${p.port}: ${why}`, { id: p.id });
  }

  /**
   * Runs `fn` (adds, removes, moves) with one save and one change event at the end, however
   * many it made: a topology file with hundreds of entries is one settings write and one
   * reconcile, not hundreds. Nested calls join the outer batch.
   */
  batch<T>(fn: () => T): T {
    this.batching++;
    try {
      return fn();
    } finally {
      if (--this.batching === 0 && this.unsaved) this.save();
    }
  }

  dispose(): void {
    this.emitter.clear();
  }

  private save(): void {
    if (this.batching > 0) return void (this.unsaved = true);
    this.unsaved = false;
    this.deps.settings.set(KEY, this.items);
    this.emitter.emit('changed', this.list());
  }
}
