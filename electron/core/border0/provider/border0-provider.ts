import type { ProviderInfo } from '../../../../shared/model';
import type { AppError } from '../../../../shared/rpc-errors';
import type { Border0Config } from '../border0-config';
import { PROVIDER_CAPABILITIES } from '../../../../shared/provider-capabilities';
import type { Border0Account } from '../account/border0-account';
import type { Logger } from '../../logs/logger';
import { Emitter } from '../../util/emitter';
import type { Forward, ForwardHandlers, ForwardSpec, TunnelProvider } from '../../providers/provider';
import { checkLimits } from './border0-limits';
import { Border0Forward } from './border0-forward';
import type { Border0SettingsStore } from '../border0-settings';
import { isOurs, type Owner } from './socket-spec';
import type { Border0SettingsPatch } from '../border0-settings';

/**
 * The service the original feature used: identity-aware sockets through the border0 API,
 * certificate-authenticated SSH tunnels. Only sockets tagged as this installation's, for the
 * lab being published on its lab host, are ever cleaned up (containerlab deleted every
 * socket named "clab").
 */
export class Border0Provider implements TunnelProvider {
  readonly id = 'border0';
  private readonly emitter = new Emitter<{ changed: void }>();
  private readonly forwards = new Set<Border0Forward>();
  private readonly cleanups = new Map<string, Promise<void>>();
  private unsub?: () => void;

  constructor(private readonly deps: { account: Border0Account; settings: Border0SettingsStore; log: Logger }) {}

  async start(): Promise<void> {
    this.unsub = this.deps.account.onChanged(() => this.emitter.emit('changed', undefined));
  }

  info(): ProviderInfo {
    const a = this.deps.account.info();
    const s = this.deps.settings.get();
    let cfg: Border0Config | undefined;
    let bad: string | undefined;
    try {
      cfg = this.deps.settings.config();
      this.deps.settings.proxy();
    } catch (err) {
      // A URL stored or set in the environment before the rules got stricter: say so, send nothing.
      bad = `${(err as AppError).message}${(err as AppError).hint ? ` (${(err as AppError).hint})` : ''}`;
    }
    return {
      id: this.id,
      kind: 'border0',
      label: 'border0',
      configured: a.loggedIn && !bad,
      capabilities: PROVIDER_CAPABILITIES.border0,
      settings: {
        apiUrl: cfg?.apiUrl ?? s.apiUrl ?? '',
        portalUrl: cfg?.portalUrl ?? s.portalUrl ?? '',
        tunnelServer: cfg ? `${cfg.tunnelServer.host}:${cfg.tunnelServer.port}` : (s.tunnelServer ?? ''),
        proxy: this.deps.settings.proxyForDisplay(),
        limitTcp: s.limitTcp,
        limitHttp: s.limitHttp,
      },
      connection: bad
        ? { state: 'failed', error: bad }
        : a.loggedIn
          ? { state: 'connected' }
          : { state: 'idle', error: a.expired ? 'the border0 login expired: log in again under Accounts' : a.rejected ? 'border0 rejected the token: log in again' : 'not logged in: open Accounts to log in' },
    };
  }

  onChanged(listener: () => void): () => void {
    return this.emitter.on('changed', listener);
  }

  open(spec: ForwardSpec, handlers: ForwardHandlers): Forward {
    try {
      checkLimits(spec.type, [...this.forwards].map((f) => f.spec.type), this.deps.settings.get());
    } catch (err) {
      const e = err as Error & { hint?: string };
      handlers.onStatus({ state: 'failed', reason: `${e.message} (${e.hint})` });
      return { close: async () => {} };
    }
    const fwd = new Border0Forward(spec, handlers, { ...this.deps, log: this.deps.log, cleanupLab: (owner) => this.cleanupLab(owner) });
    this.forwards.add(fwd);
    this.deps.account.setActiveTunnels(this.forwards.size);
    void fwd.start();
    return {
      close: async () => {
        this.forwards.delete(fwd);
        this.deps.account.setActiveTunnels(this.forwards.size);
        await fwd.close();
      },
    };
  }

  /**
   * A new API or portal URL signs the account out first: the token only ever goes to the
   * service that issued it. Everything is checked before anything changes.
   */
  async configure(settings: Record<string, unknown>): Promise<void> {
    const patch = settings as Border0SettingsPatch;
    const next = this.deps.settings.preview(patch);
    this.deps.account.endpointsChanging({ apiUrl: next.apiUrl, portalUrl: next.portalUrl });
    this.deps.settings.update(patch);
    this.deps.log.info('border0 settings changed (new tunnels use them)');
    this.emitter.emit('changed', undefined);
  }

  async dispose(): Promise<void> {
    this.unsub?.();
    // Quit closes the SSH connections; sockets stay so their DNS names survive a restart,
    // and the next publish of the lab replaces them (cleanupLab).
    await Promise.all([...this.forwards].map((f) => f.close()));
    this.forwards.clear();
    this.emitter.clear();
  }

  /** Deletes this installation's sockets for the lab left from earlier runs: nothing else, on any account. */
  private cleanupLab(owner: Owner): Promise<void> {
    const key = `${owner.host}\n${owner.lab}`;
    let p = this.cleanups.get(key);
    if (!p) {
      p = (async () => {
        const open = new Set([...this.forwards].map((f) => f.name));
        const stale = (await this.deps.account.api.listSockets()).filter((s) => isOurs(s.tags, owner) && !open.has(s.name));
        for (const s of stale) {
          await this.deps.account.api.deleteSocket(s.socket_id);
          this.deps.log.info(`removed socket ${s.name} left by an earlier run for lab ${owner.lab}`);
        }
      })().catch((err) => {
        this.cleanups.delete(key);
        throw err;
      });
      this.cleanups.set(key, p);
    }
    return p;
  }
}
