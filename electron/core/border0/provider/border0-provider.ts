import type { ProviderInfo } from '../../../../shared/model';
import { PROVIDER_CAPABILITIES } from '../../../../shared/provider-capabilities';
import type { Border0Account } from '../account/border0-account';
import type { Logger } from '../../logs/logger';
import { Emitter } from '../../util/emitter';
import type { Forward, ForwardHandlers, ForwardSpec, TunnelProvider } from '../../providers/provider';
import { checkLimits } from './border0-limits';
import { Border0Forward } from './border0-forward';
import type { Border0SettingsStore } from '../border0-settings';
import { isOurs } from './socket-spec';

/**
 * The service the original feature used: identity-aware sockets through the border0 API,
 * certificate-authenticated SSH tunnels. Only sockets tagged as this app's, for the lab being
 * published, are ever cleaned up (containerlab deleted every socket named "clab").
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
    const cfg = this.deps.settings.config();
    return {
      id: this.id,
      kind: 'border0',
      label: 'border0',
      configured: a.loggedIn,
      capabilities: PROVIDER_CAPABILITIES.border0,
      settings: {
        apiUrl: cfg.apiUrl,
        portalUrl: cfg.portalUrl,
        tunnelServer: `${cfg.tunnelServer.host}:${cfg.tunnelServer.port}`,
        proxy: this.deps.settings.proxyForDisplay(),
        limitTcp: s.limitTcp,
        limitHttp: s.limitHttp,
      },
      connection: a.loggedIn
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
    const fwd = new Border0Forward(spec, handlers, { ...this.deps, log: this.deps.log, cleanupLab: (lab) => this.cleanupLab(lab) });
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

  async configure(settings: Record<string, unknown>): Promise<void> {
    this.deps.settings.update(settings as Parameters<Border0SettingsStore['update']>[0]);
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

  /** Deletes this app's sockets for `lab` left from earlier runs: nothing else, on any account. */
  private cleanupLab(lab: string): Promise<void> {
    let p = this.cleanups.get(lab);
    if (!p) {
      p = (async () => {
        const open = new Set([...this.forwards].map((f) => f.spec.name));
        const stale = (await this.deps.account.api.listSockets()).filter((s) => isOurs(s.tags, lab) && !open.has(s.name));
        for (const s of stale) {
          await this.deps.account.api.deleteSocket(s.socket_id);
          this.deps.log.info(`removed socket ${s.name} left by an earlier run for lab ${lab}`);
        }
      })().catch((err) => {
        this.cleanups.delete(lab);
        throw err;
      });
      this.cleanups.set(lab, p);
    }
    return p;
  }
}
